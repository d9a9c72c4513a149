import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, migrationStatus, MIGRATIONS_ROOT } from '@/lib/migrations/migrate';
import { SCHEMA_PATH } from '@/lib/migrations/derive-schema';
import { createTestDatabase, PG_ADMIN_URL, postgresUnavailable } from '@/tests/support/postgres';

const TIMEOUT = 120_000; // the Wasm engine compiles on first use
const noPostgres = await postgresUnavailable('the PostgreSQL migration tests');

async function adminQuery<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `fn` against a new, empty PostgreSQL database and drops it afterwards. */
async function withFreshPostgres(fn: (url: string) => Promise<void>): Promise<void> {
  const { url, drop } = await createTestDatabase('mailroom_migrations_test');
  try {
    await fn(url);
  } finally {
    await drop();
  }
}

const pgTables = (url: string) =>
  adminQuery<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).then((rows) =>
    rows.map((r) => r.tablename),
  );

function sqliteTables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  } finally {
    db.close();
  }
}

const migrationNames = (root: string, provider: string) =>
  readdirSync(path.join(root, provider), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroom-migrations-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('migrates a new SQLite file (creating its directory) and is idempotent', { timeout: TIMEOUT }, async () => {
    const file = path.join(tmpDir(), 'nested', 'dir', 'mailroom.db');
    const url = `file:${file}`;
    const expected = migrationNames(MIGRATIONS_ROOT, 'sqlite');
    expect(expected.some((name) => /^\d{14}_init$/.test(name))).toBe(true);

    expect(await applyMigrations(url)).toEqual({ applied: expected });
    expect(sqliteTables(file)).toEqual(expect.arrayContaining(['User', 'AuditEvent', '_prisma_migrations']));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await applyMigrations(url)).toEqual({ applied: [] });
  });

  it.skipIf(noPostgres)('migrates a new PostgreSQL database and is idempotent', { timeout: TIMEOUT }, async () => {
    await withFreshPostgres(async (url) => {
      const expected = migrationNames(MIGRATIONS_ROOT, 'postgresql');
      expect(await applyMigrations(url)).toEqual({ applied: expected });
      expect(await pgTables(url)).toEqual(expect.arrayContaining(['User', 'AuditEvent', '_prisma_migrations']));
      expect(await applyMigrations(url)).toEqual({ applied: [] });
    });
  });
});

describe('createMigration', () => {
  it('writes a migration for each provider from the schema diff, then reports no changes', { timeout: TIMEOUT }, async () => {
    const dir = tmpDir();
    const schemaPath = path.join(dir, 'schema.prisma');
    const migrationsRoot = path.join(dir, 'migrations');
    cpSync(MIGRATIONS_ROOT, migrationsRoot, { recursive: true });
    const schema = readFileSync(SCHEMA_PATH, 'utf8');
    const changed = schema.replace(/(model User \{\n)/, '$1  timezone String @default("UTC")\n');
    expect(changed).not.toBe(schema);
    writeFileSync(schemaPath, changed);
    const providers = noPostgres ? (['sqlite'] as const) : (['sqlite', 'postgresql'] as const);
    const opts = { name: 'add timezone', schemaPath, migrationsRoot, shadowPostgresUrl: PG_ADMIN_URL, providers };

    const before = migrationNames(migrationsRoot, 'sqlite');
    const { created } = await createMigration(opts);
    expect(created).toHaveLength(providers.length);
    const folders = new Set(created.map((file) => path.basename(path.dirname(file))));
    expect(folders.size).toBe(1); // same folder name for both providers
    const [folder] = folders;
    expect(folder).toMatch(/^\d{14}_add_timezone$/);
    expect(before.every((name) => name < folder)).toBe(true);
    for (const provider of providers) {
      const file = path.join(migrationsRoot, provider, folder, 'migration.sql');
      expect(created).toContain(file);
      expect(readFileSync(file, 'utf8')).toMatch(/"timezone" TEXT NOT NULL DEFAULT 'UTC'/);
      expect(readFileSync(path.join(migrationsRoot, provider, 'migration_lock.toml'), 'utf8')).toContain(
        `provider = "${provider}"`,
      );
    }

    expect(await createMigration({ ...opts, name: 'again' })).toEqual({ created: [] });
    expect(existsSync(path.join(migrationsRoot, 'sqlite', folder.replace('add_timezone', 'again')))).toBe(false);

    const file = path.join(dir, 'created.db');
    const applied = await applyMigrations(`file:${file}`, { migrationsRoot });
    expect(applied.applied).toEqual([...before, folder]);
    const db = new Database(file, { readonly: true });
    const columns = db.prepare(`SELECT name FROM pragma_table_info('User')`).pluck().all();
    db.close();
    expect(columns).toContain('timezone');

    if (noPostgres) return;
    await withFreshPostgres(async (url) => {
      const result = await applyMigrations(url, { migrationsRoot });
      expect(result.applied).toEqual([...migrationNames(migrationsRoot, 'postgresql')]);
      expect(result.applied.at(-1)).toBe(folder);
      const rows = await adminQuery<{ column_default: string }>(
        url,
        `SELECT column_default FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'timezone'`,
      );
      expect(rows).toEqual([{ column_default: "'UTC'::text" }]);
    });
  });
});

describe('a migration that fails', () => {
  const BROKEN = '20991231000000_broken';
  /** The real migrations plus one whose third statement fails after two have changed the schema. */
  function withBrokenMigration(): { root: string; fix: () => void } {
    const root = path.join(tmpDir(), 'migrations');
    cpSync(MIGRATIONS_ROOT, root, { recursive: true });
    const write = (last: string) => {
      for (const provider of ['sqlite', 'postgresql']) {
        const dir = path.join(root, provider, BROKEN);
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          path.join(dir, 'migration.sql'),
          `CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\nALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n${last}\n`,
        );
      }
    };
    write('INSERT INTO "Missing" ("id") VALUES (\'x\');');
    return { root, fix: () => write('INSERT INTO "Extra" ("id") VALUES (\'x\');') };
  }

  async function expectRolledBackThenFixed(url: string, schema: () => Promise<{ tables: string[]; userColumns: string[] }>) {
    const { root, fix } = withBrokenMigration();
    const error = await applyMigrations(url, { migrationsRoot: root }).then(
      () => new Error('applied'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain(`migration \`${BROKEN}\` failed and was rolled back, so the database is as it was before it`);
    expect(error.message).toMatch(/Missing/);
    const after = await schema();
    expect(after.tables).not.toContain('Extra');
    expect(after.userColumns).not.toContain('nickname');
    expect(after.tables).toContain('ApiIdempotency'); // the migrations before it are applied
    expect((await migrationStatus(url, { migrationsRoot: root })).pending).toEqual([BROKEN]);

    fix();
    expect(await applyMigrations(url, { migrationsRoot: root })).toEqual({ applied: [BROKEN] });
    expect((await schema()).userColumns).toContain('nickname');
  }

  it('SQLite: is rolled back, says which migration and why, and runs again once fixed', { timeout: TIMEOUT }, async () => {
    const file = path.join(tmpDir(), 'broken.db');
    await expectRolledBackThenFixed(`file:${file}`, async () => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          tables: sqliteTables(file),
          userColumns: db.prepare(`SELECT name FROM pragma_table_info('User')`).pluck().all() as string[],
        };
      } finally {
        db.close();
      }
    });
  });

  it.skipIf(noPostgres)(
    'PostgreSQL: is rolled back, says which migration and why, and runs again once fixed',
    { timeout: TIMEOUT },
    async () => {
      await withFreshPostgres((url) =>
        expectRolledBackThenFixed(url, async () => ({
          tables: await pgTables(url),
          userColumns: (
            await adminQuery<{ column_name: string }>(
              url,
              `SELECT column_name FROM information_schema.columns WHERE table_name = 'User'`,
            )
          ).map((r) => r.column_name),
        })),
      );
    },
  );
});
