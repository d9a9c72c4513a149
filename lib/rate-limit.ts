/**
 * Rate limits (sign-in failures, Test Server, send API keys, relay AUTH failures, a store's sending
 * rate) on rate-limiter-flexible. Where they are counted decides whether processes share them:
 * Redis when REDIS_URL is set, else the PostgreSQL database when it is one (several Mailroom
 * processes then count together, and a restart forgets nothing), else process memory — right for
 * the embedded SQLite default, which runs as one process.
 */
import Redis from 'ioredis';
import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';

export type LimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };
export type LimitStore = 'memory' | 'postgresql' | 'redis';

type Backend = {
  kind: LimitStore;
  make: (name: string, points: number, duration: number) => RateLimiterAbstract;
  /** Resolves when the store can count (Redis connected, or given up on: its memory insurance counts; PostgreSQL's table there). */
  ready: () => Promise<void>;
  close: () => Promise<void>;
};

/** Kept on globalThis: the bundled route handlers and the background runtime must count together. */
const g = globalThis as unknown as { mailroomLimits?: { backend: Backend; limiters: Map<string, RateLimiterAbstract> } };

const TABLE = 'mailroom_rate_limits';
/** How long the first limit check waits for Redis before counting in memory instead. */
const REDIS_CONNECT_WAIT_MS = 3_000;

function createBackend(): Backend {
  const env = getEnv();
  if (env.REDIS_URL) {
    const client = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    client.on('error', (err: Error) => logger.warn({ err: err.message }, 'rate limits: Redis error'));
    // Without the offline queue a command before the connection is up would count in memory only.
    const ready = new Promise<void>((resolve) => {
      client.once('ready', resolve);
      setTimeout(resolve, REDIS_CONNECT_WAIT_MS).unref();
    });
    return {
      kind: 'redis',
      ready: () => ready,
      make: (name, points, duration) =>
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `mailroom:${name}`,
          points,
          duration,
          insuranceLimiter: memory(name, points, duration),
        }),
      close: async () => void client.disconnect(),
    };
  }
  if (!env.embedded) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4, connectionTimeoutMillis: 5_000 });
    pool.on('error', (err) => logger.warn({ err: err.message }, 'rate limits: an idle database connection failed'));
    let table: Promise<void> | undefined;
    return {
      kind: 'postgresql',
      // Created once here rather than by each limiter: a failed attempt (database away) is tried again.
      ready: () => {
        table ??= createTable(pool).catch((err: unknown) => {
          table = undefined;
          throw err;
        });
        return table;
      },
      make: (name, points, duration): RateLimiterStoreAbstract =>
        new RateLimiterPostgres({
          storeClient: pool,
          storeType: 'pool',
          tableName: TABLE,
          tableCreated: true,
          keyPrefix: name,
          points,
          duration,
          clearExpiredByTimeout: true,
        }),
      close: () => pool.end(),
    };
  }
  return { kind: 'memory', make: memory, ready: () => Promise.resolve(), close: async () => undefined };
}

/**
 * The limits' table (rate-limiter-flexible's layout), made under an advisory lock: PostgreSQL's
 * CREATE TABLE IF NOT EXISTS is not safe against itself, and processes starting together (or one
 * process's several limiters) would otherwise see "relation already exists" or a duplicate key in
 * pg_type, after which a limiter never counts and every sign-in fails with a server error.
 */
async function createTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [TABLE]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const memory = (name: string, points: number, duration: number) => new RateLimiterMemory({ keyPrefix: name, points, duration });

function state() {
  return (g.mailroomLimits ??= { backend: createBackend(), limiters: new Map() });
}

/** Where limits are counted in this process. */
export const limitStore = (): LimitStore => state().backend.kind;

/** The limiter `name` allowing `points` per `durationSeconds` (fractions allowed), created once. */
export function limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const s = state();
  const id = `${name}:${points}:${durationSeconds}`;
  let l = s.limiters.get(id);
  if (!l) {
    l = s.backend.make(name, points, durationSeconds);
    s.limiters.set(id, l);
  }
  return l;
}

const toResult = (err: unknown): LimitResult => {
  if (err instanceof RateLimiterRes)
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
  throw err;
};

/** Runs a limiter call once the store can count (Redis connected, PostgreSQL's table made). */
async function settled<T>(run: () => Promise<T>): Promise<T> {
  await state().backend.ready();
  return run();
}

/** Failures counted per key (an account and address, a client address): `check` refuses once `points` are used up. */
export function failureCounter(name: string, points: number, durationSeconds: number) {
  const l = () => limiter(name, points, durationSeconds);
  return {
    async check(key: string): Promise<LimitResult> {
      const res = await settled(() => l().get(key));
      if (res && res.remainingPoints <= 0) return { allowed: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
      return { allowed: true };
    },
    async fail(key: string): Promise<void> {
      await settled(() => l().consume(key)).catch((err: unknown) => {
        if (!(err instanceof RateLimiterRes)) throw err;
      });
    },
    async reset(key: string): Promise<void> {
      await settled(() => l().delete(key));
    },
  };
}

/** Login: 10 failures per account and address in 15 minutes. */
export const loginFailures = failureCounter('login', 10, 15 * 60);

/**
 * Login: 20 failures per account from any address in 5 minutes bounds guessing spread over many
 * addresses; the short window is the lockout, so another address's failures block the owner briefly.
 */
export const accountLoginFailures = {
  async check(email: string): Promise<LimitResult> {
    const res = await settled(() => limiter('login-account', 20, 5 * 60).get(email));
    return res && res.remainingPoints <= 0
      ? { allowed: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) }
      : { allowed: true };
  },
  async fail(email: string): Promise<void> {
    await settled(() => limiter('login-account', 20, 5 * 60).consume(email)).catch((err: unknown) => {
      if (!(err instanceof RateLimiterRes)) throw err;
    });
  },
  async reset(email: string): Promise<void> {
    await settled(() => limiter('login-account', 20, 5 * 60).delete(email));
  },
};

/** Consumes one point for `key`; e.g. Test Server sends per admin per minute. */
export async function take(name: string, key: string, points: number, durationSeconds: number): Promise<LimitResult> {
  return settled(() => limiter(name, points, durationSeconds).consume(key))
    .then((): LimitResult => ({ allowed: true }))
    .catch(toResult);
}

/** Like take(), with the wait in milliseconds: for pacing, where a second is far too coarse. */
export async function tryTake(
  name: string,
  key: string,
  points: number,
  durationSeconds: number,
): Promise<{ allowed: true } | { allowed: false; waitMs: number }> {
  return settled(() => limiter(name, points, durationSeconds).consume(key))
    .then(() => ({ allowed: true as const }))
    .catch((err: unknown) => {
      if (err instanceof RateLimiterRes) return { allowed: false as const, waitMs: Math.max(1, err.msBeforeNext) };
      throw err;
    });
}

/** Gives back points taken for work that did not happen. */
export async function giveBack(name: string, key: string, points: number, durationSeconds: number, count: number): Promise<void> {
  if (count > 0) await settled(() => limiter(name, points, durationSeconds).reward(key, count));
}

/** Milliseconds until `key` may take a point again (0 = now), without taking one. */
export async function msUntilFree(name: string, key: string, points: number, durationSeconds: number): Promise<number> {
  const res = await settled(() => limiter(name, points, durationSeconds).get(key));
  return res && res.remainingPoints <= 0 ? res.msBeforeNext : 0;
}

export function formatRetry(seconds: number): string {
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

/** Closes the shared store's connections (graceful stop, tests). */
export async function closeLimits(): Promise<void> {
  const s = g.mailroomLimits;
  g.mailroomLimits = undefined;
  await s?.backend.close();
}
