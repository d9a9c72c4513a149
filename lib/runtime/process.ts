/**
 * What every Mailroom process does first (configuration, migrations, the environment Next.js and
 * next-auth read) and last (one graceful stop on SIGTERM / SIGINT). Used by `npm start` and
 * `npm run worker`.
 */
import { assertEncryptionKeysConfigured } from '@/lib/crypto/key-check';
import { db } from '@/lib/db';
import { applyMigrations } from '@/lib/migrations/migrate';
import { ConfigError, getEnv, type Env } from '@/lib/env';
import { stopJobEngine } from '@/lib/jobs';
import { logger } from '@/lib/log';
import { closeLimits } from '@/lib/rate-limit';
import { stopComponents } from '@/lib/runtime/components';

/** In-flight sends get this long to finish after SIGTERM. */
export const STOP_BOUND_MS = 30_000;

export async function prepareProcess(): Promise<Env> {
  let env: Env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const { applied } = await applyMigrations(env.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'Applied database migrations');
  // Refuse now, naming the missing key ids, rather than fail at the first send.
  await assertEncryptionKeysConfigured(env);
  // Next.js and next-auth read these from the environment; generated secrets are created exactly once, here.
  Object.assign(process.env, {
    DATABASE_URL: env.DATABASE_URL,
    DATA_DIR: env.DATA_DIR,
    APP_URL: env.APP_URL,
    NEXTAUTH_URL: env.APP_URL,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET,
    APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY,
    // Telemetry would try to reach the internet on every build and start.
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
  });
  return env;
}

/**
 * On the first SIGTERM / SIGINT: stops every registered component (lib/runtime/components.ts) —
 * no new work, work in progress finishes within STOP_BOUND_MS — then the job engine, the shared
 * limit store and the database, and exits 0.
 */
export function stopOnSignals(): void {
  let stopping = false;
  const run = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping: no new work; in-flight sends finish first');
    let summary: Record<string, unknown> = {};
    try {
      summary = await stopComponents(STOP_BOUND_MS);
      await stopJobEngine();
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Stop did not finish cleanly');
    }
    await closeLimits().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    logger.info(summary, 'Stopped');
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void run(sig));
}
