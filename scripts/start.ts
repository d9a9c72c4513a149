/**
 * `npm start`: prepares local secrets and the database, builds when the sources changed, then
 * runs the console (Next.js in this process), the outbox worker and the periodic jobs. SIGTERM or
 * SIGINT stops it gracefully (lib/runtime/process.ts): no new requests or messages, in-flight ones
 * finish (30 s at most), leases released, database closed, exit 0.
 * `--dev` serves `next dev` instead of a production build.
 */
import { logger } from '@/lib/log';
import { startBackground } from '@/lib/runtime/background';
import { prepareProcess, stopOnSignals } from '@/lib/runtime/process';
import { startConsole } from '@/lib/server/console';
import { buildIfStale } from '@/scripts/build';

async function main() {
  const dev = process.argv.includes('--dev');
  const env = await prepareProcess();
  if (!dev) buildIfStale(process.env.NEXT_DIST_DIR || '.next', (m) => logger.info(m));

  // The worker first: once the console answers, the whole process is up (readiness lists both).
  await startBackground();
  const web = await startConsole({ dev, port: env.PORT, hostname: process.env.HOST || undefined });
  logger.info(`Mailroom on ${env.APP_URL} (port ${web.port}, database: ${env.embedded ? 'embedded SQLite' : 'PostgreSQL'})`);
  stopOnSignals();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? err.stack : err.message) : err);
  process.exit(1);
});
