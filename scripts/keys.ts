/**
 * Encryption keys:
 *   npm run keys -- generate   print a new 32-byte key (base64)
 *   npm run keys -- status     how many stored secrets each key id protects
 *   npm run keys -- rotate     re-encrypt every stored secret with APP_ENCRYPTION_KEY
 *                              (older keys in APP_ENCRYPTION_KEY_PREVIOUS)
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import { currentKeyId } from '@/lib/crypto';
import { reencryptAll, secretKeyStatus } from '@/lib/crypto/rotate';
import { db } from '@/lib/db';
import { applyMigrations } from '@/lib/migrations/migrate';
import { getEnv } from '@/lib/env';

async function main() {
  const command = process.argv[2];
  if (command === 'generate') {
    console.log(randomBytes(32).toString('base64'));
    return;
  }
  if (command !== 'status' && command !== 'rotate') {
    console.error('Usage: npm run keys -- generate | status | rotate');
    process.exit(2);
  }
  await applyMigrations(getEnv().DATABASE_URL);
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

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  })
  .finally(() => db.$disconnect());
