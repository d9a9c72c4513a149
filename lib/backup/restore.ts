/**
 * `npm run restore`: an archive into an empty data directory, migrated to this code's schema, with
 * every stored secret decrypted once as a check.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { recordAudit } from '@/lib/audit';
import { keyFromBase64, type Keyring } from '@/lib/crypto/cipher';
import { checkSecrets, type SecretCheck } from '@/lib/crypto/key-check';
import { reencryptAll } from '@/lib/crypto/rotate';
import { createDb } from '@/lib/db';
import { applyMigrations } from '@/lib/migrations/migrate';
import { redactUrl, sqliteFilePath } from '@/lib/database-url';
import { knownMigrations } from '@/lib/migrations/version';
import { type Config, LOCAL_SECRET_FILES } from '@/lib/env';
import { RefusedError } from '@/lib/errors';
import {
  ARCHIVE_FILES,
  backupRecord,
  readArchiveInfo,
  unlockArchive,
  type ArchivedKeys,
  type ArchiveInfo,
  type UnlockedArchive,
} from '@/lib/backup/archive';

type RestoreReport = {
  info: ArchiveInfo;
  database: string;
  /** where the files the restore replaced went (--force) */
  movedAside?: string;
  /** local secret files written into DATA_DIR from the archive */
  secretFiles: string[];
  /** migrations applied after the restore, because the archive is older than this code */
  applied: string[];
  check: SecretCheck;
  /** secrets sealed with an older key that were sealed again with the current one */
  resealed: number;
  currentKeyId: string;
  ms: number;
};

const NOTHING_WRITTEN = 'Nothing was written.';

export async function restoreBackup(
  config: Config,
  opts: { archive: string; passphrase: () => Promise<string>; force: boolean },
): Promise<RestoreReport> {
  const started = Date.now();
  const archive = path.resolve(opts.archive);
  const { info, replaced } = await refuseUnlessRestorable(config, archive, opts.force);
  const unlocked = await unlockArchive(archive, await opts.passphrase());
  const { movedAside, secretFiles, archivedKeys } = await placeFiles(config, unlocked, replaced);
  const { applied } = await applyMigrations(config.DATABASE_URL);
  const ring = restoredKeyring(config, archivedKeys);
  const db = createDb(config.DATABASE_URL);
  try {
    const check = await checkSecrets(db, ring);
    // The restored directory keeps one key file: secrets under the archive's older keys move to the current one.
    const resealed = check.failures.length ? 0 : (await reencryptAll({ db, ring })).reencrypted;
    const fileName = path.basename(archive);
    await db.backup.create({ data: { ...backupRecord(info, fileName), restoredAt: new Date() } });
    const checked = check.byField.reduce((n, f) => n + f.ok + f.failed, 0);
    await recordAudit(
      {
        actorEmail: 'cli',
        action: 'backup.restore',
        target: fileName,
        details: {
          backupCreatedAt: info.createdAt,
          migrationsApplied: applied.length,
          secretsChecked: checked,
          secretsFailed: check.failures.length,
        },
      },
      db,
    );
    const database = sqliteFilePath(config.DATABASE_URL);
    return {
      info,
      database,
      movedAside,
      secretFiles,
      applied,
      check,
      resealed,
      currentKeyId: ring.current.id,
      ms: Date.now() - started,
    };
  } finally {
    await db.$disconnect();
  }
}

/** Every refusal that needs no passphrase; returns the archive's description and the existing files a forced restore replaces. */
async function refuseUnlessRestorable(
  config: Config,
  archive: string,
  force: boolean,
): Promise<{ info: ArchiveInfo; replaced: string[] }> {
  if (!config.embedded) {
    throw new RefusedError(
      `DATABASE_URL points to PostgreSQL (${redactUrl(config.DATABASE_URL)}): restore its pg_dump with pg_restore, and set the keys kept with it (docs/backup.md).`,
    );
  }
  if (!existsSync(archive)) throw new RefusedError(`${archive} does not exist.`);
  const info = readArchiveInfo(archive);
  const known = await knownMigrations('sqlite');
  const newer = info.migrations.filter((m) => !known.includes(m));
  if (newer.length) {
    throw new RefusedError(
      `The archive comes from a newer Mailroom (${info.appVersion}; migrations this version does not know: ${newer.join(', ')}). Install that version or later, then restore. ${NOTHING_WRITTEN}`,
    );
  }
  if (!info.keysIncluded && !config.APP_ENCRYPTION_KEY) {
    throw new RefusedError(
      `The archive was made with --no-key: it holds no encryption key. Set APP_ENCRYPTION_KEY to key ${info.keyIds.current} (the one kept apart from the archive${info.keyIds.previous.length ? `; APP_ENCRYPTION_KEY_PREVIOUS for ${info.keyIds.previous.join(', ')}` : ''}) and restore again. ${NOTHING_WRITTEN}`,
    );
  }
  const { DATA_DIR: dataDir } = config;
  const database = sqliteFilePath(config.DATABASE_URL);
  const replaced = [
    database,
    `${database}-journal`,
    `${database}-wal`,
    `${database}-shm`,
    ...Object.values(LOCAL_SECRET_FILES).map((f) => path.join(dataDir, f)),
  ].filter((f) => existsSync(f));
  const present = [
    ...new Set([...(existsSync(dataDir) ? readdirSync(dataDir).map((f) => path.join(dataDir, f)) : []), ...replaced]),
  ];
  if (present.length && !force) {
    throw new RefusedError(
      `${dataDir} is not empty (${present.map((f) => path.basename(f)).join(', ')}). Restore into an empty directory (set DATA_DIR), or stop the console and pass --force: the files the restore replaces are then moved aside, not deleted. ${NOTHING_WRITTEN}`,
    );
  }
  return { info, replaced };
}

/**
 * Decrypts into a staging folder inside DATA_DIR and moves the files into place only once the whole
 * archive has authenticated; on failure DATA_DIR is left as it was.
 */
async function placeFiles(config: Config, unlocked: UnlockedArchive, replaced: string[]) {
  const { DATA_DIR: dataDir } = config;
  const database = sqliteFilePath(config.DATABASE_URL);
  const createdDataDir = !existsSync(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(path.join(dataDir, '.restore-'));
  let movedAside: string | undefined;
  const secretFiles: string[] = [];
  try {
    const files = await unlocked.extractTo(staging);
    const staged = files[ARCHIVE_FILES.database];
    if (!staged) throw new RefusedError(`The archive holds no database. ${NOTHING_WRITTEN}`);
    checkIntegrity(staged);
    const keysFile = files[ARCHIVE_FILES.keys];
    const archivedKeys = keysFile ? (JSON.parse(readFileSync(keysFile, 'utf8')) as ArchivedKeys) : undefined;

    if (replaced.length) movedAside = moveAside(dataDir, replaced);
    mkdirSync(path.dirname(database), { recursive: true, mode: 0o700 });
    move(staged, database);
    for (const name of ['APP_ENCRYPTION_KEY', 'NEXTAUTH_SECRET'] as const) {
      const value = archivedKeys?.[name];
      if (config[name] || !value) continue; // configured in the environment: the environment wins at start
      writeFileSync(path.join(dataDir, LOCAL_SECRET_FILES[name]), `${value}\n`, { mode: 0o600, flag: 'wx' });
      secretFiles.push(LOCAL_SECRET_FILES[name]);
    }
    return { movedAside, secretFiles, archivedKeys };
  } catch (error) {
    if (!movedAside && createdDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The keys the console will run with (the environment's, else the archive's), plus every other key the archive had. */
function restoredKeyring(config: Config, archived: ArchivedKeys | undefined): Keyring {
  const currentB64 = config.APP_ENCRYPTION_KEY ?? archived?.APP_ENCRYPTION_KEY;
  if (!currentB64) throw new Error('No encryption key: neither APP_ENCRYPTION_KEY nor the archive has one.');
  const current = keyFromBase64(currentB64);
  const others = [
    ...config.APP_ENCRYPTION_KEY_PREVIOUS,
    ...(archived ? [archived.APP_ENCRYPTION_KEY, ...archived.APP_ENCRYPTION_KEY_PREVIOUS] : []),
  ].map(keyFromBase64);
  const previous = others.filter((k, i) => k.id !== current.id && others.findIndex((o) => o.id === k.id) === i);
  return { current, previous };
}

function checkIntegrity(file: string): void {
  const copy = new Database(file, { readonly: true });
  try {
    const result: unknown = copy.pragma('quick_check', { simple: true });
    if (result !== 'ok')
      throw new RefusedError(
        `The database in the archive failed SQLite's integrity check (${String(result)}). ${NOTHING_WRITTEN}`,
      );
  } finally {
    copy.close();
  }
}

/** Moves the files a forced restore replaces into DATA_DIR/before-restore-<time>/; returns that folder. */
function moveAside(dataDir: string, files: string[]): string {
  const folder = path.join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(folder, { mode: 0o700 });
  for (const file of files) move(file, path.join(folder, path.basename(file)));
  return folder;
}

/** rename, or copy then delete when the two paths are on different file systems. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    copyFileSync(from, to);
    rmSync(from);
  }
}
