/**
 * npm run backup -- --out FILE [--passphrase-file FILE] [--no-key] [--force]
 *
 * One archive with a consistent copy of the embedded database (safe while the console runs), the
 * encryption keys and the NEXTAUTH secret, encrypted with a passphrase (docs/backup.md). The
 * passphrase comes from --passphrase-file, else MAILROOM_BACKUP_PASSPHRASE, else the terminal.
 * --no-key leaves the keys out. PostgreSQL: refuses and explains pg_dump.
 */
import { parseArgs } from 'node:util';
import { createBackup, refuseUnlessBackupable } from '@/lib/backup/create';
import { obtainPassphrase } from '@/lib/backup/passphrase';
import { closeDb } from '@/lib/db';
import { getEnv, readConfig } from '@/lib/env';
import { runMaintenance } from '@/scripts/maintenance';

const USAGE = 'Usage: npm run backup -- --out FILE [--passphrase-file FILE] [--no-key] [--force]';

void runMaintenance(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'no-key': { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  if (!values.out) return 'usage';
  refuseUnlessBackupable(readConfig());
  const includeKeys = !values['no-key'];
  const passphrase = await obtainPassphrase('backup', values['passphrase-file']);
  const r = await createBackup(getEnv(), { out: values.out, passphrase, includeKeys, force: values.force });
  const { current, previous } = r.info.keyIds;
  console.log(`Backup written to ${r.file} (${Math.ceil(r.bytes / 1024)} KiB) in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(`  database: embedded SQLite, schema ${r.info.migrations.at(-1) ?? '(none)'}`);
  if (includeKeys) {
    console.log(
      `  keys: encryption key ${current}${previous.length ? ` (and previous ${previous.join(', ')})` : ''} and the NEXTAUTH secret`,
    );
    console.log('Keep the passphrase apart from the archive: without it, the archive cannot be restored.');
  }
  if (!r.recorded)
    console.log('Not shown on the Settings page: this database has migrations pending (`npm start` applies them).');
  if (!includeKeys) {
    console.error(
      [
        '',
        '!!! THIS ARCHIVE HOLDS NO ENCRYPTION KEY (--no-key) !!!',
        `Its SMTP passwords, client secrets and OAuth tokens can only be restored with key ${current}${previous.length ? ` (and ${previous.join(', ')})` : ''}.`,
        'Keep that key (data/encryption.key, or APP_ENCRYPTION_KEY) safe and apart from this archive: restoring needs',
        'APP_ENCRYPTION_KEY set to it. Lose it, and every stored secret must be entered again.',
      ].join('\n'),
    );
  }
  return 0;
}).finally(() => closeDb());
