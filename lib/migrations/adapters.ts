/**
 * Driver-adapter factories for the Wasm schema engine, with the fixes it needs on top of the stock
 * Prisma adapters (7.10):
 * - SQLite: the engine replays migrations into the shadow database with `executeRaw`, which
 *   better-sqlite3 refuses for multi-statement SQL; such calls fall back to `executeScript`.
 *   With `atomicScripts`, each migration script runs in one transaction (foreign keys switched
 *   off around it, as SQLite's documented table-redefinition procedure does).
 * - PostgreSQL: adapter-pg cannot read the `"char"` type the catalog queries return, so results
 *   report it as text; its `executeScript` splits on `;` and spreads the statements over pooled
 *   connections, so scripts are sent as one simple query instead (one implicit transaction); and
 *   its shadow database ignores the database in a connection string and is dropped while still
 *   in use, so the shadow database is created, connected to and dropped here.
 */
import { randomUUID } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { databaseOf, withDatabase } from '@/lib/database-url';

/** A factory plus a way to release every connection it handed out. */
export interface ManagedFactory {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

type Overrides = Partial<Pick<SqlDriverAdapter, 'executeRaw' | 'executeScript' | 'dispose'>>;

function delegate(inner: SqlDriverAdapter, overrides: Overrides): SqlDriverAdapter {
  const adapter: SqlDriverAdapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: overrides.executeRaw ?? ((query) => inner.executeRaw(query)),
    executeScript: overrides.executeScript ?? ((script) => inner.executeScript(script)),
    startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
    dispose: overrides.dispose ?? (() => inner.dispose()),
  };
  const info = inner.getConnectionInfo?.bind(inner);
  if (info) adapter.getConnectionInfo = info;
  return adapter;
}

/** Disposes each adapter once, whether the engine or `close()` asks first. */
function tracker() {
  const open = new Set<() => Promise<void>>();
  return {
    track(adapter: SqlDriverAdapter, release: () => Promise<void> = () => adapter.dispose()): SqlDriverAdapter {
      let done: Promise<void> | undefined;
      const dispose = () => {
        done ??= release().finally(() => open.delete(dispose));
        return done;
      };
      open.add(dispose);
      return delegate(adapter, { dispose });
    },
    async close() {
      await Promise.allSettled([...open].map((dispose) => dispose()));
    },
  };
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) parts.push(e.message);
  return parts.join(' | ');
}

/** `url` is `:memory:` or `file:/absolute/path.db`; the shadow database is always in memory. */
export function sqliteMigrationFactory(url: string, opts: { atomicScripts?: boolean } = {}): ManagedFactory {
  const inner = new PrismaBetterSqlite3({ url });
  const open = tracker();
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const fixed = delegate(adapter, {
      async executeRaw(query) {
        // The schema engine asks for SQLite's exclusive locking mode, which a WAL database (lib/db.ts)
        // refuses while any other connection is open: npm start's, when a CLI or worker checks
        // migrations beside it. Each migration runs in its own transaction (runAtomically), so
        // normal locking keeps two migrators from applying one script twice.
        if (/^\s*PRAGMA\s+(main\.)?locking_mode\s*=\s*EXCLUSIVE\s*;?\s*$/i.test(query.sql)) return 0;
        try {
          return await adapter.executeRaw(query);
        } catch (error) {
          if (query.args.length > 0 || !messages(error).includes('more than one statement')) throw error;
          await adapter.executeScript(query.sql); // nothing ran: prepare() rejected the whole string
          return 0;
        }
      },
      executeScript: opts.atomicScripts ? (script) => runAtomically(adapter, script) : undefined,
    });
    return open.track(fixed, () => adapter.dispose());
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wrap(await inner.connect()),
    connectToShadowDb: async () => wrap(await inner.connectToShadowDb()),
  };
  return { factory, close: () => open.close() };
}

/**
 * Whether a migration script runs as one transaction here, so a failure leaves the schema as it was:
 * SQLite scripts are wrapped by runAtomically, a PostgreSQL script is one simple query (an implicit
 * transaction); a script with its own transaction control (or VACUUM) opts out of both.
 */
export const runsInOneTransaction = (script: string): boolean =>
  !/^\s*(BEGIN|COMMIT|END|ROLLBACK|VACUUM|START\s+TRANSACTION)\b/im.test(script);

async function runAtomically(adapter: SqlDriverAdapter, script: string): Promise<void> {
  if (!runsInOneTransaction(script)) return adapter.executeScript(script);
  const fkOff = /PRAGMA\s+foreign_keys\s*=\s*(OFF|0|false|no)\b/i.test(script);
  if (fkOff) await adapter.executeScript('PRAGMA foreign_keys=OFF');
  try {
    await adapter.executeScript('BEGIN');
    try {
      await adapter.executeScript(script);
      await adapter.executeScript('COMMIT');
    } catch (error) {
      await adapter.executeScript('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    if (fkOff) await adapter.executeScript('PRAGMA foreign_keys=ON');
  }
}

const CHAR_OID = 18;
const TEXT_OID = 25;

function charAsText(result: unknown): void {
  for (const r of Array.isArray(result) ? result : [result]) {
    if (typeof r !== 'object' || r === null || !('fields' in r) || !Array.isArray(r.fields)) continue;
    for (const field of r.fields as pg.FieldDef[]) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
}

/** adapter-pg brings its own @types/pg, so take the pool config type from its constructor. */
type PgPoolConfig = Extract<ConstructorParameters<typeof PrismaPg>[0], { Client?: unknown }>;
type PoolClientClass = NonNullable<PgPoolConfig['Client']>;

/** A pg client whose results report the `"char"` type (catalog columns) as text. */
class CatalogSafeClient extends pg.Client {}
const baseQuery = pg.Client.prototype.query;
Object.defineProperty(CatalogSafeClient.prototype, 'query', {
  configurable: true,
  writable: true,
  value: function query(this: pg.Client, ...args: unknown[]): unknown {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: Error | null, res: unknown) => {
        if (!err) charAsText(res);
        Reflect.apply(callback, undefined, [err, res]);
      };
      return Reflect.apply(baseQuery, this, args);
    }
    const ret: unknown = Reflect.apply(baseQuery, this, args);
    return ret instanceof Promise ? ret.then((res: unknown) => (charAsText(res), res)) : ret;
  },
});

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database of `url` if it does not exist (like `prisma migrate deploy`). */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== '3D000') throw error; // invalid_catalog_name
    await adminQuery(withDatabase(url, 'postgres'), `CREATE DATABASE ${quoteIdent(databaseOf(url))}`);
  }
}

export function postgresMigrationFactory(url: string): ManagedFactory {
  const open = tracker();
  const connectTo = async (connectionString: string) => {
    // The `Client` option is typed as ClientBase, whose typings differ from pg.Client's; at runtime pg.Pool uses exactly this class.
    const adapter = await new PrismaPg({ connectionString, Client: CatalogSafeClient as unknown as PoolClientClass }).connect();
    // One simple-protocol query: the whole script on one connection, in one implicit transaction.
    const executeScript = async (sql: string) => void (await adapter.executeRaw({ sql, args: [], argTypes: [] }));
    return { adapter, fixed: delegate(adapter, { executeScript }) };
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      const { adapter, fixed } = await connectTo(url);
      return open.track(fixed, () => adapter.dispose());
    },
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
      await adminQuery(url, `CREATE DATABASE ${quoteIdent(name)}`);
      const drop = () => adminQuery(url, `DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      try {
        const { adapter, fixed } = await connectTo(withDatabase(url, name));
        return open.track(fixed, async () => {
          await adapter.dispose(); // end the pool first, or the database is "being accessed"
          await drop();
        });
      } catch (error) {
        await drop().catch(() => undefined);
        throw error;
      }
    },
  };
  return { factory, close: () => open.close() };
}
