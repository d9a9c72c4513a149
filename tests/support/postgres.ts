/** The local PostgreSQL server (127.0.0.1:5432 on these machines) for tests that need one. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '@/lib/database-url';

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Runs one statement as the admin connection; the error message, or null when it succeeded. */
export async function pgAdmin(sql: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(sql);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL tests must be skipped (printed), or null when a server answers. */
export async function postgresUnavailable(what: string): Promise<string | null> {
  const why = await pgAdmin('SELECT 1');
  if (why) console.warn(`Skipping ${what}: no PostgreSQL server at ${PG_ADMIN_URL} (${why})`);
  return why;
}

/** A fresh, uniquely named database: its URL and a function that drops it. */
export async function createTestDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const failed = await pgAdmin(`CREATE DATABASE "${name}"`);
  if (failed) throw new Error(`CREATE DATABASE ${name}: ${failed}`);
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    drop: async () => void (await pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}
