/**
 * Encryption keys:
 *   npm run keys -- generate   print a new 32-byte key (base64)
 *   npm run keys -- status     how many stored secrets each key id protects
 *   npm run keys -- rotate     re-encrypt every stored secret with APP_ENCRYPTION_KEY
 *                              (older keys in APP_ENCRYPTION_KEY_PREVIOUS)
 *   npm run keys -- forget-missing [--yes]   a key lost for good: list (with --yes, clear) the
 *                              secrets encrypted with keys that are not configured
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import { activeKeyring, currentKeyId } from '@/lib/crypto';
import { forgetMissing } from '@/lib/crypto/key-check';
import { reencryptAll, secretKeyStatus } from '@/lib/crypto/rotate';
import { closeDb, db } from '@/lib/db';
import { applyMigrations } from '@/lib/migrations/migrate';
import { getEnv } from '@/lib/env';

async function main() {
  const command = process.argv[2];
  if (command === 'generate') {
    console.log(randomBytes(32).toString('base64'));
    return;
  }
  if (command !== 'status' && command !== 'rotate' && command !== 'forget-missing') {
    console.error('Usage: npm run keys -- generate | status | rotate | forget-missing [--yes]');
    process.exit(2);
  }
  await applyMigrations(getEnv().DATABASE_URL);
  if (command === 'forget-missing') return forget(process.argv.includes('--yes'));
  if (command === 'rotate') {
    const { reencrypted, rows } = await reencryptAll();
    await recordAudit({ actorEmail: 'cli', action: 'keys.rotate', details: { reencrypted, rows, keyId: currentKeyId() } });
    console.log(`Re-encrypted ${reencrypted} secret(s) in ${rows} profile(s) with key ${currentKeyId()}.`);
  }
  const status = await secretKeyStatus();
  const lines = Object.entries(status).map(([id, n]) => `  ${id}${id === currentKeyId() ? ' (current)' : ''}: ${n}`);
  console.log(lines.length ? `Stored secrets per key id:\n${lines.join('\n')}` : 'No stored secrets.');
  const stale = Object.entries(status).filter(([id]) => id !== currentKeyId());
  if (stale.length) console.log('Secrets under older keys remain: run `npm run keys -- rotate`.');
}

async function forget(yes: boolean) {
  const cleared = await forgetMissing(db, activeKeyring(), { dryRun: !yes });
  const list = cleared.map((c) => `  "${c.store}": ${c.label}`).join('\n');
  if (!cleared.length) console.log('Every stored secret is encrypted with a configured key: nothing to forget.');
  else if (!yes)
    console.log(
      `Encrypted with keys that are not configured:\n${list}\nRun again with --yes to clear them (then enter them again, or reconnect OAuth).`,
    );
  else {
    await recordAudit({ actorEmail: 'cli', action: 'keys.forget_missing', details: { cleared: cleared.length } });
    console.log(`Cleared ${cleared.length} secret(s); enter them again on each store's Notifications page:\n${list}`);
  }
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  })
  .finally(() => closeDb());
