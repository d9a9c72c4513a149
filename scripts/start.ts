/**
 * `npm start`: prepares local secrets and the database, builds when the sources changed, then
 * runs the console (Next.js in this process), the outbox worker, the periodic jobs and the SMTP
 * relay listener (RELAY_PORT, 2525 by default). SIGTERM or SIGINT stops it gracefully: the relay
 * answers 421 and closes, no new work, in-flight sends finish (30 s at most), exit 0.
 * `--dev` serves `next dev` instead of a production build.
 */
import { logger } from '@/lib/log';
import { startRelayFromEnv } from '@/lib/relay/server';
import { startBackground } from '@/lib/runtime/background';
import { prepareProcess, STOP_BOUND_MS, stopOnSignals } from '@/lib/runtime/process';
import { startConsole } from '@/lib/server/console';
import { buildIfStale } from '@/scripts/build';

/** A client in the middle of sending a message gets this long to finish it after SIGTERM. */
const RELAY_STOP_MS = 10_000;

async function main() {
  const dev = process.argv.includes('--dev');
  const env = await prepareProcess();
  if (!dev) buildIfStale(process.env.NEXT_DIST_DIR || '.next', (m) => logger.info(m));

  const web = await startConsole({ dev, port: env.PORT, hostname: process.env.HOST || undefined });
  const background = await startBackground();
  // Beside the console, in this process: a port that is taken leaves the console running (the relay tab says why).
  const relay = await startRelayFromEnv(env);
  logger.info(`Mailroom on ${env.APP_URL} (port ${web.port}, database: ${env.embedded ? 'embedded SQLite' : 'PostgreSQL'})`);
  stopOnSignals(async () => {
    // The relay first: a message is either in the outbox (250) or refused (421) before the worker stops.
    const relayClosed = relay.stop(RELAY_STOP_MS);
    const closing = web.close(STOP_BOUND_MS);
    await relayClosed;
    const result = await background.stop(STOP_BOUND_MS);
    await closing;
    return result;
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? err.stack : err.message) : err);
  process.exit(1);
});
