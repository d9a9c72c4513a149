/**
 * Prisma migrations without Prisma's native schema engine (which cannot be downloaded here):
 * the Wasm build of the same engine does the diffing and applying (see ./schema-engine.ts).
 * Used by scripts (start, admin, tests) through tsx: no Next.js or `server-only` imports.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import {
  ensurePostgresDatabase,
  type ManagedFactory,
  postgresMigrationFactory,
  runsInOneTransaction,
  sqliteMigrationFactory,
} from '@/lib/migrations/adapters';
import {
  deriveSchema,
  DERIVED_POSTGRES_SCHEMA_PATH,
  SCHEMA_PATH,
  writeDerivedPostgresSchema,
} from '@/lib/migrations/derive-schema';
import { lockfileContent, NO_FILTER, readMigrationsList, withSchemaEngine } from '@/lib/migrations/schema-engine';
import { projectRoot, type Provider, PROVIDERS, providerOf, redactUrl, sqliteFilePath } from '@/lib/database-url';

export const MIGRATIONS_ROOT = path.join(projectRoot, 'prisma', 'migrations');
/** PostgreSQL server used to replay migrations in throw-away shadow databases when creating one. */
const DEFAULT_SHADOW_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export const migrationsDir = (provider: Provider, root: string = MIGRATIONS_ROOT) => path.join(root, provider);

async function factoryFor(databaseUrl: string, create = true): Promise<ManagedFactory> {
  if (providerOf(databaseUrl) === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    await mkdir(path.dirname(file), { recursive: true });
    // Created owner-only before SQLite opens it (it holds encrypted secrets and the activity log); an existing file is untouched.
    await writeFile(file, '', { flag: 'a', mode: 0o600 });
    return sqliteMigrationFactory(`file:${file}`, { atomicScripts: true });
  }
  if (create) await ensurePostgresDatabase(databaseUrl);
  return postgresMigrationFactory(databaseUrl);
}

const isMissingMigrationsTable = (error: unknown) =>
  (error as { code?: unknown }).code === 'P1014' && String(error).includes('_prisma_migrations');

/**
 * Like `prisma migrate deploy`: applies the migrations of `prisma/migrations/<provider>` that the
 * database lacks, in order, recording them in `_prisma_migrations`. Creates the SQLite file (or
 * the PostgreSQL database) if missing. Each migration runs in a transaction; a failed one is
 * recorded as failed and the error is thrown (later runs refuse until it is resolved).
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: { migrationsRoot?: string } = {},
): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const migrationsList = await readMigrationsList(migrationsDir(provider, opts.migrationsRoot), provider);
  try {
    const out = await withSchemaEngine(await factoryFor(databaseUrl), (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    );
    return { applied: out.appliedMigrationNames };
  } catch (error) {
    const failed = await migrationStatus(databaseUrl, opts).then(
      (s) => s.failed,
      (): string[] => [],
    );
    const message = await explainFailure(databaseUrl, migrationsList, failed, error);
    throw new Error(`Applying migrations to ${redactUrl(databaseUrl)} failed: ${message}`, { cause: error });
  }
}

/**
 * Says which migration failed and why. A migration that failed in this run inside one transaction
 * left the schema as it was, so it is marked rolled back and the next run tries it again.
 */
async function explainFailure(databaseUrl: string, list: MigrationList, failed: string[], error: unknown): Promise<string> {
  const cause = error instanceof Error ? error.message : String(error);
  const names = failed.map((name) => `\`${name}\``).join(', ');
  if (!failed.length) return cause;
  const resolveHint = `once the database is as it was before (restore the backup made before the upgrade if it is not), run \`npm run db -- resolve --rolled-back ${failed[0]}\` and start again`;
  if ((error as { code?: unknown }).code === 'P3009') {
    return `migration ${names} failed in an earlier run and is recorded as failed; ${resolveHint}.`;
  }
  const script = list.migrationDirectories.find((d) => d.path === failed[0])?.migrationFile.content;
  const reason = cause.replace(/^Migration `[^`]+` failed: /, '').replace(/^external connector error\s*/i, '');
  if (failed.length !== 1 || script?.tag !== 'ok' || !runsInOneTransaction(script.value)) {
    return `migration ${names} failed part-way (it manages its own transactions): ${reason}\nSome of its changes may remain; ${resolveHint}.`;
  }
  await markMigrationRolledBack(databaseUrl, failed[0]);
  return `migration ${names} failed and was rolled back, so the database is as it was before it: ${reason}\nFix the cause and start again; the migration runs again then.`;
}

interface MigrationStatus {
  provider: Provider;
  migrations: string[];
  /** Migrations in the directory that the database has not applied yet. */
  pending: string[];
  failed: string[];
  edited: string[];
  /** Applied to the database but missing from the directory. */
  unknown: string[];
}

/** Like `prisma migrate status` (read only, no shadow database). */
export async function migrationStatus(databaseUrl: string, opts: { migrationsRoot?: string } = {}): Promise<MigrationStatus> {
  const provider = providerOf(databaseUrl);
  const migrationsList = await readMigrationsList(migrationsDir(provider, opts.migrationsRoot), provider);
  const migrations = migrationsList.migrationDirectories.map((d) => d.path);
  const never = { provider, migrations, pending: migrations, failed: [], edited: [], unknown: [] };
  if (provider === 'sqlite' && !existsSync(sqliteFilePath(databaseUrl))) return never;
  let out;
  try {
    out = await withSchemaEngine(await factoryFor(databaseUrl, false), (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
    );
  } catch (error) {
    if (isMissingMigrationsTable(error)) return never; // the engine reports P1014 instead
    throw error;
  }
  const h = out.history;
  return {
    provider,
    migrations,
    pending: !out.hasMigrationsTable
      ? migrations
      : h?.diagnostic === 'databaseIsBehind' || h?.diagnostic === 'historiesDiverge'
        ? h.unappliedMigrationNames
        : [],
    failed: out.failedMigrationNames,
    edited: out.editedMigrationNames,
    unknown: h && h.diagnostic !== 'databaseIsBehind' ? h.unpersistedMigrationNames : [],
  };
}

/** Marks a failed migration as rolled back (`prisma migrate resolve --rolled-back`). */
export async function markMigrationRolledBack(databaseUrl: string, migrationName: string): Promise<void> {
  await withSchemaEngine(await factoryFor(databaseUrl), (engine) => engine.markMigrationRolledBack({ migrationName }));
}

interface CreateMigrationOptions {
  name: string;
  /** Source of truth (SQLite schema); default `prisma/schema.prisma`. */
  schemaPath?: string;
  /** Holds `sqlite/` and `postgresql/`; default `prisma/migrations`. */
  migrationsRoot?: string;
  /** Server for the PostgreSQL shadow database; default `$SHADOW_DATABASE_URL`, else local. */
  shadowPostgresUrl?: string;
  /** Default both. Only tests without a PostgreSQL server should narrow this. */
  providers?: readonly Provider[];
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Like `prisma migrate dev --create-only`, for both providers: the engine replays the committed
 * migrations into a shadow database and diffs the result against the schema. Writes
 * `<root>/<provider>/<timestamp>_<name>/migration.sql` for both (same folder name) and returns
 * their paths, or `created: []` when the schema matches the migrations.
 */
export async function createMigration(opts: CreateMigrationOptions): Promise<{ created: string[] }> {
  const slug = opts.name
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Error('A migration needs a name (letters, digits, underscores)');
  const schemaPath = path.resolve(opts.schemaPath ?? SCHEMA_PATH);
  const source = await readFile(schemaPath, 'utf8');
  const root = opts.migrationsRoot ?? MIGRATIONS_ROOT;
  const shadowUrl = opts.shadowPostgresUrl ?? process.env.SHADOW_DATABASE_URL ?? DEFAULT_SHADOW_POSTGRES_URL;

  const providers = opts.providers ?? PROVIDERS;
  const scripts = new Map<Provider, string | null>();
  for (const provider of providers) {
    const migrationsList = await readMigrationsList(migrationsDir(provider, root), provider);
    const content = deriveSchema(source, provider);
    const managed = provider === 'sqlite' ? sqliteMigrationFactory(':memory:') : postgresMigrationFactory(shadowUrl);
    const diff = await withSchemaEngine(managed, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      }),
    ).catch((error: Error) => {
      const hint =
        provider === 'postgresql'
          ? ` (creating PostgreSQL migrations replays them in a throw-away database on ${redactUrl(shadowUrl)}; set SHADOW_DATABASE_URL to a server you may create databases on)`
          : '';
      throw new Error(`Diffing the ${provider} migrations against ${schemaPath} failed: ${error.message}${hint}`, {
        cause: error,
      });
    });
    scripts.set(provider, diff.exitCode === 2 && diff.stdout ? diff.stdout : null);
  }
  if (providers.every((p) => scripts.get(p) === null)) return { created: [] };

  // One folder name for both providers, sorting after every existing migration.
  const existing = (await Promise.all(PROVIDERS.map((p) => readdir(migrationsDir(p, root)).catch((): string[] => []))))
    .flat()
    .filter((name) => /^\d{14}_/.test(name));
  let at = Date.now();
  let folder = `${timestamp(new Date(at))}_${slug}`;
  while (existing.some((name) => name.slice(0, 14) >= folder.slice(0, 14))) {
    at += 1000;
    folder = `${timestamp(new Date(at))}_${slug}`;
  }

  const created: string[] = [];
  for (const provider of providers) {
    const dir = path.join(migrationsDir(provider, root), folder);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'migration.sql');
    await writeFile(file, scripts.get(provider) ?? '-- This is an empty migration.\n', 'utf8');
    await writeFile(path.join(migrationsDir(provider, root), 'migration_lock.toml'), lockfileContent(provider), 'utf8');
    created.push(file);
  }
  return { created };
}

function prismaGenerate(schemaPath: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('prisma/build/index.js');
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  // `generate` only checks that a schema engine file exists; it never runs it. Name an existing,
  // non-executable file so that Prisma does not try to download the native engine.
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
    env.PRISMA_SCHEMA_ENGINE_BINARY = require.resolve('prisma/package.json');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schemaPath], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma generate --schema ${schemaPath} failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * Generates the SQLite client (`lib/generated/sqlite`) from `prisma/schema.prisma` and the
 * PostgreSQL client (`lib/generated/postgres`) from the derived, gitignored
 * `prisma/generated/postgresql.prisma`.
 */
export async function generateClients(): Promise<{ schemas: string[]; outputs: string[] }> {
  const derived = await writeDerivedPostgresSchema(SCHEMA_PATH, DERIVED_POSTGRES_SCHEMA_PATH);
  for (const schema of [SCHEMA_PATH, derived]) await prismaGenerate(schema);
  return {
    schemas: [SCHEMA_PATH, derived],
    outputs: ['sqlite', 'postgres'].map((name) => path.join(projectRoot, 'lib', 'generated', name)),
  };
}
