/**
 * The process's job engine: pg-boss when the database is PostgreSQL, the in-process engine on the
 * embedded SQLite default. One per process (on globalThis: route handlers and the runtime load
 * separate copies of lib/), started on first use.
 */
import { getEnv } from '@/lib/env';
import { LocalEngine } from '@/lib/jobs/local';
import { PgBossEngine } from '@/lib/jobs/pg-boss';
import type { JobEngine } from '@/lib/jobs/types';

export type { DeliveryTicket, JobEngine, PeriodicJob, Tx } from '@/lib/jobs/types';

const g = globalThis as unknown as { mailroomJobEngine?: Promise<JobEngine> };

/** Seconds an attempt is leased to a process before another may take it over (OUTBOX_LEASE_SECONDS). */
export const leaseSeconds = () => getEnv().OUTBOX_LEASE_SECONDS;

export function getJobEngine(): Promise<JobEngine> {
  g.mailroomJobEngine ??= (async () => {
    const env = getEnv();
    const engine: JobEngine = env.embedded
      ? new LocalEngine()
      : new PgBossEngine({ connectionString: env.DATABASE_URL, leaseSeconds: env.OUTBOX_LEASE_SECONDS });
    await engine.start();
    return engine;
  })().catch((err: unknown) => {
    g.mailroomJobEngine = undefined;
    throw err;
  });
  return g.mailroomJobEngine;
}

/** Stops the engine if one was started (graceful stop, tests). */
export async function stopJobEngine(): Promise<void> {
  const pending = g.mailroomJobEngine;
  g.mailroomJobEngine = undefined;
  if (pending) await (await pending).stop();
}
