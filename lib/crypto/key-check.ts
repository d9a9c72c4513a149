/**
 * Checks stored secrets against a given keyring, so start-up and restore can tell before the first
 * send whether every secret can be decrypted, and say which key is missing if not.
 */
import { createDb, type Db } from '@/lib/db';
import { ConfigError, type Env } from '@/lib/env';
import { PROFILE_SECRETS, type ProfileSecret } from '@/lib/notifications/secrets';
import { CLEARED_TOKENS } from '@/lib/oauth/cleared';
import { decrypt, DecryptionError, keyIdOfCiphertext, makeKeyring, type Keyring } from '@/lib/crypto/cipher';
import { secretAad } from '@/lib/crypto';
import { channelSecrets, profileSecrets } from '@/lib/crypto/rotate';
import { CHANNEL_SECRET_COLUMNS, SECRET_COLUMNS } from '@/lib/crypto/secret-fields';

class MissingKeyError extends ConfigError {
  override name = 'MissingKeyError';
}

const configuredIds = (ring: Keyring) => [ring.current, ...ring.previous].map((k) => k.id);

/** Key ids that stored secrets were sealed with but `ring` lacks, each with the stores whose secrets need it. */
async function missingKeys(db: Db, ring: Keyring): Promise<Map<string, Set<string>>> {
  const known = new Set(configuredIds(ring));
  const missing = new Map<string, Set<string>>();
  for (const row of await profileSecrets(db)) {
    for (const ct of Object.values(row.ciphertexts)) {
      const id = keyIdOfCiphertext(ct) ?? 'unknown';
      if (!known.has(id)) missing.set(id, (missing.get(id) ?? new Set()).add(row.storeName));
    }
  }
  for (const row of await channelSecrets(db)) {
    for (const ct of Object.values(row.ciphertexts)) {
      const id = keyIdOfCiphertext(ct) ?? 'unknown';
      if (!known.has(id)) missing.set(id, (missing.get(id) ?? new Set()).add(`alert channel ${row.name}`));
    }
  }
  return missing;
}

function missingKeyMessage(missing: Map<string, Set<string>>, ring: Keyring): string {
  const lines = [...missing].map(([id, stores]) => `  key ${id}: secrets of ${[...stores].map((s) => `"${s}"`).join(', ')}`);
  return [
    `Stored secrets were encrypted with ${missing.size === 1 ? 'a key' : 'keys'} that ${missing.size === 1 ? 'is' : 'are'} not configured:`,
    ...lines,
    `Configured: ${configuredIds(ring).join(', ')} (APP_ENCRYPTION_KEY${ring.previous.length ? ' and APP_ENCRYPTION_KEY_PREVIOUS' : ''}).`,
    'Restore the missing key: put back the encryption.key that belongs to this database (from your backup: `npm run restore`),',
    'or set APP_ENCRYPTION_KEY_PREVIOUS to it. If it is lost for good, `npm run keys -- forget-missing` clears those secrets',
    'so they can be entered again.',
  ].join('\n');
}

/** For start-up: refuses, naming the key ids, when stored secrets need a key that is not configured. */
export async function assertEncryptionKeysConfigured(env: Env): Promise<void> {
  const ring = makeKeyring(env.APP_ENCRYPTION_KEY, env.APP_ENCRYPTION_KEY_PREVIOUS);
  const db = createDb(env.DATABASE_URL);
  try {
    const missing = await missingKeys(db, ring);
    if (missing.size) throw new MissingKeyError(missingKeyMessage(missing, ring));
  } finally {
    await db.$disconnect();
  }
}

export type SecretCheck = {
  /** per secret kind (label), how many decrypted and how many did not */
  byField: { label: string; ok: number; failed: number }[];
  /** what failed, by store: never a value */
  failures: { store: string; label: string; reason: string }[];
};

/** Decrypts every stored secret once (and throws the plaintext away). */
export async function checkSecrets(db: Db, ring: Keyring): Promise<SecretCheck> {
  const byField = new Map<string, { label: string; ok: number; failed: number }>(
    [...SECRET_COLUMNS, ...CHANNEL_SECRET_COLUMNS].map((c) => [c.column, { label: c.label, ok: 0, failed: 0 }]),
  );
  const failures: SecretCheck['failures'] = [];
  type Sealed = { id: string; owner: string; ciphertexts: Partial<Record<string, string>> };
  const sources: [Sealed[], readonly { column: string; field: string; label: string }[]][] = [
    [(await profileSecrets(db)).map((r) => ({ ...r, owner: r.storeName })), SECRET_COLUMNS],
    [(await channelSecrets(db)).map((r) => ({ ...r, owner: `alert channel ${r.name}` })), CHANNEL_SECRET_COLUMNS],
  ];
  for (const [rows, columns] of sources) {
    for (const row of rows) {
      for (const { column, field, label } of columns) {
        const ct = row.ciphertexts[column];
        if (!ct) continue;
        const counts = byField.get(column)!;
        try {
          decrypt(ring, ct, secretAad(row.id, field));
          counts.ok += 1;
        } catch (error) {
          counts.failed += 1;
          failures.push({ store: row.owner, label, reason: error instanceof DecryptionError ? error.message : String(error) });
        }
      }
    }
  }
  return { byField: [...byField.values()].filter((f) => f.ok + f.failed > 0), failures };
}

/**
 * For a key lost for good: clears every secret sealed with a key `ring` lacks, so the store shows it
 * as not set (OAuth: needs reconnect) and an admin can enter it again. `dryRun` only lists them.
 */
export async function forgetMissing(
  db: Db,
  ring: Keyring,
  opts: { dryRun: boolean },
): Promise<{ store: string; label: string }[]> {
  const known = new Set(configuredIds(ring));
  const cleared: { store: string; label: string }[] = [];
  for (const row of await profileSecrets(db)) {
    const lost = SECRET_COLUMNS.filter((c) => {
      const ct = row.ciphertexts[c.column];
      return !!ct && !known.has(keyIdOfCiphertext(ct) ?? '');
    });
    if (!lost.length) continue;
    cleared.push(...lost.map((c) => ({ store: row.storeName, label: c.label })));
    if (opts.dryRun) continue;
    const data: Record<string, unknown> = {};
    for (const { field } of lost) {
      if (field in PROFILE_SECRETS) {
        const secret = PROFILE_SECRETS[field as ProfileSecret];
        Object.assign(data, { [secret.enc]: null, [secret.setAt]: null });
      }
    }
    if (lost.some((c) => c.field === 'refreshToken')) {
      Object.assign(data, CLEARED_TOKENS, {
        oauthStatus: 'needs_reconnect',
        oauthError: 'The stored token was encrypted with a lost key: connect again.',
        tokenVersion: { increment: 1 },
      });
    } else if (lost.some((c) => c.field === 'accessToken')) {
      Object.assign(data, { accessTokenEnc: null, accessTokenExpiresAt: null });
    }
    await db.notificationProfile.update({ where: { id: row.id }, data });
  }
  for (const row of await channelSecrets(db)) {
    const lost = CHANNEL_SECRET_COLUMNS.filter((c) => {
      const ct = row.ciphertexts[c.column];
      return !!ct && !known.has(keyIdOfCiphertext(ct) ?? '');
    });
    if (!lost.length) continue;
    cleared.push(...lost.map((c) => ({ store: `alert channel ${row.name}`, label: c.label })));
    // A webhook without its URL or secret cannot send: it stays listed, off, until it is added again.
    if (!opts.dryRun)
      await db.alertChannel.update({
        where: { id: row.id },
        data: { enabled: false, ...Object.fromEntries(lost.map((c) => [c.column, null])) },
      });
  }
  return cleared;
}
