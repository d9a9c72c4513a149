/**
 * `npm start`: prepares local secrets and the database, builds when the sources changed, then
 * runs the console (Next.js in this process), the outbox worker, the periodic jobs and the SMTP
 * relay listener (RELAY_PORT, 2525 by default). SIGTERM or SIGINT stops it gracefully
 * (lib/runtime/process.ts): the relay answers 421 and closes, no new requests or messages,
 * in-flight ones finish (30 s at most), leases released, database closed, exit 0.
 * `--dev` serves `next dev` instead of a production build.
 */
import { logger } from '@/lib/log';
import { startRelayFromEnv } from '@/lib/relay/server';
import { relayListening } from '@/lib/relay/status';
import { startBackground } from '@/lib/runtime/background';
import { registerComponent } from '@/lib/runtime/components';
import { prepareProcess, stopOnSignals } from '@/lib/runtime/process';
import { startConsole } from '@/lib/server/console';
import { buildIfStale } from '@/scripts/build';

/** A client in the middle of sending a message gets this long to finish it after SIGTERM. */
const RELAY_STOP_MS = 10_000;

async function main() {
  const dev = process.argv.includes('--dev');
  const env = await prepareProcess();
  if (!dev) buildIfStale(process.env.NEXT_DIST_DIR || '.next', (m) => logger.info(m));

  // The worker first: once the console answers, the whole process is up (readiness lists both).
  await startBackground();
  // Beside the console, in this process: a port that is taken leaves the console running (the relay tab says why).
  const relay = await startRelayFromEnv(env);
  registerComponent({
    name: 'relay',
    // A relay that could not listen is reported, but the console and the outbox still serve: ready.
    status: () => {
      const s = relay.status();
      return { ready: true, detail: { state: s.state, listening: relayListening(s) } };
    },
    stop: (timeoutMs) => relay.stop(Math.min(timeoutMs, RELAY_STOP_MS)),
  });
  const web = await startConsole({ dev, port: env.PORT, hostname: process.env.HOST || undefined });
  logger.info(`Mailroom on ${env.APP_URL} (port ${web.port}, database: ${env.embedded ? 'embedded SQLite' : 'PostgreSQL'})`);
  stopOnSignals();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? err.stack : err.message) : err);
  process.exit(1);
});
