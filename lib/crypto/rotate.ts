import { db as processDb, type Db, selectOf } from '@/lib/db';
import { decrypt, encrypt, keyIdOfCiphertext, type Keyring } from '@/lib/crypto/cipher';
import { activeKeyring, secretAad } from '@/lib/crypto';
import { CHANNEL_SECRET_COLUMNS, SECRET_COLUMNS, type SecretColumn } from '@/lib/crypto/secret-fields';

type Ciphertexts = Partial<Record<SecretColumn['column'], string>>;

/** A profile's encrypted columns (column name → ciphertext, unset ones left out) and its store's name. */
type ProfileSecrets = { id: string; storeName: string; ciphertexts: Ciphertexts };

export async function profileSecrets(db: Db = processDb): Promise<ProfileSecrets[]> {
  const columns = [...new Set(SECRET_COLUMNS.map((c) => c.column))];
  const rows = await db.notificationProfile.findMany({
    select: { id: true, store: { select: { name: true } }, ...selectOf(columns) },
  });
  return rows.map((row) => {
    const ciphertexts: Ciphertexts = {};
    for (const c of columns) {
      const ct = row[c];
      if (typeof ct === 'string') ciphertexts[c] = ct;
    }
    return { id: row.id, storeName: row.store.name, ciphertexts };
  });
}

type ChannelColumn = (typeof CHANNEL_SECRET_COLUMNS)[number]['column'];

/** Each alert channel's encrypted columns (unset ones left out) and its name. */
export async function channelSecrets(
  db: Db = processDb,
): Promise<{ id: string; name: string; ciphertexts: Partial<Record<ChannelColumn, string>> }[]> {
  const rows = await db.alertChannel.findMany({ select: { id: true, name: true, urlEnc: true, signingSecretEnc: true } });
  return rows.map(({ id, name, ...cts }) => ({
    id,
    name,
    ciphertexts: Object.fromEntries(Object.entries(cts).filter(([, v]) => typeof v === 'string')),
  }));
}

/** How many stored secrets each key id protects. */
export async function secretKeyStatus(db: Db = processDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of [...(await profileSecrets(db)), ...(await channelSecrets(db))]) {
    for (const ct of Object.values(row.ciphertexts)) {
      const id = keyIdOfCiphertext(ct) ?? 'unknown';
      counts[id] = (counts[id] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Re-encrypts every secret not sealed with the current key. Each row is updated in its own
 * transaction only if its ciphertexts are still the ones read, so a concurrent save is not lost.
 */
export async function reencryptAll(opts: { db?: Db; ring?: Keyring } = {}): Promise<{ reencrypted: number; rows: number }> {
  const db = opts.db ?? processDb;
  const ring = opts.ring ?? activeKeyring();
  let reencrypted = 0;
  let rows = 0;
  for (const row of await profileSecrets(db)) {
    const data: Ciphertexts = {};
    const where: Ciphertexts & { id: string } = { id: row.id };
    for (const { column, field } of SECRET_COLUMNS) {
      const ct = row.ciphertexts[column];
      if (!ct || keyIdOfCiphertext(ct) === ring.current.id) continue;
      const aad = secretAad(row.id, field);
      data[column] = encrypt(ring, decrypt(ring, ct, aad), aad);
      where[column] = ct;
    }
    const changed = Object.keys(data);
    if (!changed.length) continue;
    const res = await db.notificationProfile.updateMany({ where, data });
    if (res.count === 1) {
      reencrypted += changed.length;
      rows += 1;
    }
  }
  for (const row of await channelSecrets(db)) {
    const data: Partial<Record<ChannelColumn, string>> = {};
    for (const { column, field } of CHANNEL_SECRET_COLUMNS) {
      const ct = row.ciphertexts[column];
      if (!ct || keyIdOfCiphertext(ct) === ring.current.id) continue;
      const aad = secretAad(row.id, field);
      data[column] = encrypt(ring, decrypt(ring, ct, aad), aad);
    }
    const changed = Object.keys(data).length;
    if (!changed) continue;
    const res = await db.alertChannel.updateMany({ where: { id: row.id, ...row.ciphertexts }, data });
    if (res.count === 1) {
      reencrypted += changed;
      rows += 1;
    }
  }
  return { reencrypted, rows };
}
