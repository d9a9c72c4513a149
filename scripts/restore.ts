/**
 * npm run restore -- --in FILE [--passphrase-file FILE] [--force]
 *
 * Restores a `npm run backup` archive into DATA_DIR, which must be empty (--force moves the files it
 * replaces aside), applies the migrations the archive lacks, and decrypts every stored secret once
 * as a check (docs/backup.md). Exits 1 when a secret does not decrypt.
 */
import { parseArgs } from 'node:util';
import { obtainPassphrase } from '@/lib/backup/passphrase';
import { restoreBackup } from '@/lib/backup/restore';
import { readConfig } from '@/lib/env';
import { runMaintenance } from '@/scripts/maintenance';

const USAGE = 'Usage: npm run restore -- --in FILE [--passphrase-file FILE] [--force]';

void runMaintenance(USAGE, async () => {
  const { values } = parseArgs({
    options: { in: { type: 'string' }, 'passphrase-file': { type: 'string' }, force: { type: 'boolean' } },
  });
  if (!values.in) return 'usage';
  const config = readConfig();
  const r = await restoreBackup(config, {
    archive: values.in,
    passphrase: () => obtainPassphrase('restore', values['passphrase-file']),
    force: Boolean(values.force),
  });
  console.log(
    `Restored the backup of ${r.info.createdAt} (Mailroom ${r.info.appVersion}) into ${r.database} in ${(r.ms / 1000).toFixed(1)} s`,
  );
  if (r.movedAside) console.log(`  the files it replaced are in ${r.movedAside}`);
  console.log(
    `  ${r.applied.length ? `migrations applied since the backup: ${r.applied.join(', ')}` : 'schema already current'}`,
  );
  console.log(
    r.secretFiles.length
      ? `  wrote ${r.secretFiles.join(' and ')} from the archive (encryption key ${r.currentKeyId})`
      : `  encryption key ${r.currentKeyId} from APP_ENCRYPTION_KEY`,
  );
  const total = r.check.byField.reduce((n, f) => n + f.ok + f.failed, 0);
  console.log(total ? 'Stored secrets, each decrypted once:' : 'No stored secrets to check.');
  for (const f of r.check.byField)
    console.log(`  ${f.label}: ${f.ok} of ${f.ok + f.failed} decrypt${f.failed ? ` (${f.failed} FAILED)` : ''}`);
  if (r.resealed) console.log(`Re-encrypted ${r.resealed} secret(s) from older keys with key ${r.currentKeyId}.`);
  if (!r.check.failures.length) {
    console.log(`${total ? `All ${total} stored secret(s) decrypt. ` : ''}Start the console with \`npm start\`.`);
    return 0;
  }
  console.error(`${r.check.failures.length} stored secret(s) do not decrypt:`);
  for (const f of r.check.failures) console.error(`  "${f.store}": ${f.label}: ${f.reason}`);
  console.error(
    'Set APP_ENCRYPTION_KEY_PREVIOUS to the missing key and run `npm run keys -- rotate`; `npm start` refuses until then.',
  );
  return 1;
});
