/** `npm run backup`: a consistent copy of the embedded database, and the keys, in one encrypted archive. */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { recordAudit } from '@/lib/audit';
import { makeKeyring } from '@/lib/crypto/cipher';
import { db } from '@/lib/db';
import { APPLIED_MIGRATIONS_SQL } from '@/lib/migrations/applied-migrations';
import { redactUrl, sqliteFilePath } from '@/lib/database-url';
import type { Config, Env } from '@/lib/env';
import { RefusedError } from '@/lib/errors';
import { APP_VERSION } from '@/lib/version';
import { ARCHIVE_FILES, backupRecord, writeArchive, type ArchivedKeys, type ArchiveInfo } from '@/lib/backup/archive';

type BackupResult = { file: string; bytes: number; ms: number; info: ArchiveInfo; recorded: boolean };

/** Why `npm run backup` does not copy a PostgreSQL database, and what to do instead (docs/backup.md). */
function postgresBackupAdvice(config: Config): string {
  const ids = config.APP_ENCRYPTION_KEY
    ? ` (key ${makeKeyring(config.APP_ENCRYPTION_KEY, config.APP_ENCRYPTION_KEY_PREVIOUS).current.id})`
    : '';
  return [
    `DATABASE_URL points to PostgreSQL (${redactUrl(config.DATABASE_URL)}), which \`npm run backup\` does not copy.`,
    `Back it up with PostgreSQL's tools, e.g. pg_dump --format=custom --file=mailroom-$(date +%F).dump "$DATABASE_URL",`,
    `and keep APP_ENCRYPTION_KEY${ids}, APP_ENCRYPTION_KEY_PREVIOUS and NEXTAUTH_SECRET in your secret store:`,
    'without the key, the stored passwords, client secrets and tokens in the dump cannot be decrypted. See docs/backup.md.',
  ].join('\n');
}

/** Refusals that need neither the passphrase nor the local secrets (which getEnv would generate on a fresh install). */
export function refuseUnlessBackupable(config: Config): void {
  if (!config.embedded) throw new RefusedError(postgresBackupAdvice(config));
  const file = sqliteFilePath(config.DATABASE_URL);
  if (!existsSync(file)) throw new RefusedError(`There is no database at ${file} to back up yet (\`npm start\` creates it).`);
}

export async function createBackup(
  env: Env,
  opts: { out: string; passphrase: string; includeKeys: boolean; force?: boolean },
): Promise<BackupResult> {
  refuseUnlessBackupable(env);
  const out = path.resolve(opts.out);
  if (!existsSync(path.dirname(out))) throw new RefusedError(`The directory ${path.dirname(out)} does not exist.`);
  if (existsSync(out) && !opts.force)
    throw new RefusedError(`${out} already exists: choose another file, or pass --force to replace it.`);
  const started = Date.now();
  // Work next to the archive: the admin chose that disk for it, and a large copy may not fit in /tmp.
  const work = mkdtempSync(path.join(path.dirname(out), '.mailroom-backup-'));
  try {
    const snapshot = path.join(work, ARCHIVE_FILES.database);
    const migrations = await snapshotDatabase(sqliteFilePath(env.DATABASE_URL), snapshot);
    const ring = makeKeyring(env.APP_ENCRYPTION_KEY, env.APP_ENCRYPTION_KEY_PREVIOUS);
    const info: ArchiveInfo = {
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      database: 'sqlite',
      migrations,
      keysIncluded: opts.includeKeys,
      keyIds: { current: ring.current.id, previous: ring.previous.map((k) => k.id) },
    };
    const files: Parameters<typeof writeArchive>[2] = [{ name: ARCHIVE_FILES.database, path: snapshot }];
    if (opts.includeKeys) {
      const keys: ArchivedKeys = {
        APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY,
        APP_ENCRYPTION_KEY_PREVIOUS: env.APP_ENCRYPTION_KEY_PREVIOUS,
        NEXTAUTH_SECRET: env.NEXTAUTH_SECRET,
      };
      const keysFile = path.join(work, ARCHIVE_FILES.keys);
      writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
      files.push({ name: ARCHIVE_FILES.keys, path: keysFile });
    }
    const { bytes } = await writeArchive(out, info, files, opts.passphrase);
    const recorded = await recordBackup(info, path.basename(out));
    return { file: out, bytes, ms: Date.now() - started, info, recorded };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Copies the live database with SQLite's online backup API (safe while the console writes) and
 * checks the copy; returns the migrations applied in it.
 */
async function snapshotDatabase(source: string, target: string): Promise<string[]> {
  const live = new Database(source, { fileMustExist: true, timeout: 10_000 });
  try {
    // All pages in one step: a single read lock, so the console's writes cannot restart the copy over and over.
    await live.backup(target, { progress: ({ totalPages }) => totalPages });
  } finally {
    live.close();
  }
  chmodSync(target, 0o600);
  const copy = new Database(target, { readonly: true });
  try {
    const check: unknown = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The copy of the database failed SQLite's integrity check: ${String(check)}`);
    return copy.prepare(APPLIED_MIGRATIONS_SQL).pluck().all() as string[];
  } finally {
    copy.close();
  }
}

/** For the Settings page and the activity log; false when the database predates the Backup table (pending migrations). */
async function recordBackup(info: ArchiveInfo, fileName: string): Promise<boolean> {
  try {
    await db.backup.create({ data: backupRecord(info, fileName) });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2021') return false; // table does not exist
    throw error;
  }
  await recordAudit({
    actorEmail: 'cli',
    action: 'backup.create',
    target: fileName,
    details: { keysIncluded: info.keysIncluded },
  });
  return true;
}
