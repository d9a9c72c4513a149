/**
 * Where limits are counted: process memory on the embedded database, the PostgreSQL database when
 * DATABASE_URL is one, Redis when REDIS_URL is set. A restart (a new store connection) or another
 * process must find the count where the first left it, except in memory.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { resetEnvCache } from '@/lib/env';
import { closeLimits, limitStore, take } from '@/lib/rate-limit';
import { createTestDatabase, postgresUnavailable } from '@/tests/support/postgres';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const embedded = process.env.DATABASE_URL;

async function redisUnavailable(): Promise<string | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    console.warn(`Skipping the Redis case: no Redis at ${REDIS_URL} (${err instanceof Error ? err.message : String(err)})`);
    return 'unavailable';
  } finally {
    client.disconnect();
  }
}

/** Uses up a 3-per-minute limit, "restarts", and says whether the fourth is still refused. */
async function survivesRestart(): Promise<boolean> {
  const key = randomBytes(6).toString('hex');
  for (let i = 0; i < 3; i++) expect((await take('store-test', key, 3, 60)).allowed).toBe(true);
  expect((await take('store-test', key, 3, 60)).allowed).toBe(false);
  await closeLimits();
  return !(await take('store-test', key, 3, 60)).allowed;
}

const use = (env: Record<string, string | undefined>) => {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
};

let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  await closeLimits();
  use({ DATABASE_URL: embedded, REDIS_URL: undefined });
  await dropDatabase?.();
});

describe('the rate-limit store', () => {
  it('is process memory on the embedded database: a restart forgets', async () => {
    expect(limitStore()).toBe('memory');
    expect(await survivesRestart()).toBe(false);
  });

  it('is the PostgreSQL database when DATABASE_URL is one: a restart remembers', async () => {
    if (await postgresUnavailable('the PostgreSQL rate-limit store')) return;
    await closeLimits();
    const t = await createTestDatabase('mailroom_limits');
    dropDatabase = t.drop;
    use({ DATABASE_URL: t.url });
    expect(limitStore()).toBe('postgresql');
    expect(await survivesRestart()).toBe(true);
  });

  it('on a new PostgreSQL database, limits used at once all count from the first request', async () => {
    if (await postgresUnavailable('the PostgreSQL rate-limit store')) return;
    await closeLimits();
    const t = await createTestDatabase('mailroom_limits_race');
    use({ DATABASE_URL: t.url });
    try {
      // As a sign-in does (per address, per account…), and as processes starting together do: the
      // limits' table is created by whichever comes first, and none of them fails for it.
      const first = await Promise.all(
        Array.from({ length: 12 }, (_, i) => take(`race-${i}`, 'client', 1, 60).then((r) => r.allowed)),
      );
      expect(first).toEqual(Array(12).fill(true));
      expect((await take('race-0', 'client', 1, 60)).allowed).toBe(false);
    } finally {
      await closeLimits();
      await t.drop();
    }
  });

  it('is Redis when REDIS_URL is set, whatever the database', async () => {
    if (await redisUnavailable()) return;
    await closeLimits();
    use({ DATABASE_URL: embedded, REDIS_URL });
    expect(limitStore()).toBe('redis');
    expect(await survivesRestart()).toBe(true);
  });
});
