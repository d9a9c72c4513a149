import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresClient } from '@/lib/generated/postgres/client';
import { PrismaClient } from '@/lib/generated/sqlite/client';
import { sqliteFilePath } from '@/lib/database-url';
import { getEnv, readConfig } from '@/lib/env';
import { logger } from '@/lib/log';

export type Db = PrismaClient;

/**
 * The embedded database in write-ahead-log mode: a commit appends to the log instead of writing
 * pages through a rollback journal (half the fsyncs; better-sqlite3 waits for them on the event
 * loop), and readers never wait for the writer. `SQLITE_SYNCHRONOUS` chooses what a commit waits
 * for (FULL by default, so an accepted message survives a power cut).
 */
class EmbeddedDatabase extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${readConfig().SQLITE_SYNCHRONOUS};`);
    return adapter;
  }
}

/** Both generated clients have the same models; the SQLite one's type stands for both. */
export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith('file:')) {
    return new PrismaClient({ adapter: new EmbeddedDatabase({ url: `file:${sqliteFilePath(databaseUrl)}` }) });
  }
  // A server that does not answer fails a request after 5 s instead of holding it (pg waits forever by default).
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, connectionTimeoutMillis: 5_000 },
    {
      onPoolError: (err) => logger.warn({ err: err.message }, 'database: an idle connection failed'),
      onConnectionError: (err) => logger.warn({ err: err.message }, 'database: a connection failed'),
    },
  );
  // The two generated clients differ only in provider internals, which TypeScript cannot see as equal.
  return new PostgresClient({ adapter }) as unknown as Db;
}

const globalForDb = globalThis as typeof globalThis & { mailroomDb?: Db };

function instance(): Db {
  if (!globalForDb.mailroomDb) globalForDb.mailroomDb = createDb(getEnv().DATABASE_URL);
  return globalForDb.mailroomDb;
}

/** One client per process, created on first use so importing this module never opens a connection. */
export const db: Db = new Proxy({} as Db, {
  get: (_target, prop) => Reflect.get(instance(), prop),
});

/** Closes this process's client; the next query opens one for the configuration then current (restore checks, tests). */
export async function closeDb(): Promise<void> {
  const client = globalForDb.mailroomDb;
  globalForDb.mailroomDb = undefined;
  await client?.$disconnect();
}

/** Whether the database answers a trivial query right now (tells an outage from a bug). */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** A Prisma `select` of these columns, typed so the row keeps each column's type. */
export function selectOf<K extends string>(columns: readonly K[]): Record<K, true> {
  return Object.fromEntries(columns.map((c) => [c, true])) as Record<K, true>;
}
