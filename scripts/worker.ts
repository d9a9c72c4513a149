/**
 * `npm run worker`: a Mailroom process that only delivers (outbox worker and periodic jobs), for
 * sites that run the console and the delivery work on separate machines. Same configuration as
 * `npm start`; on PostgreSQL any number of them share the work.
 */
import { logger } from '@/lib/log';
import { startBackground } from '@/lib/runtime/background';
import { prepareProcess, stopOnSignals } from '@/lib/runtime/process';

async function main() {
  const env = await prepareProcess();
  await startBackground();
  logger.info(`Mailroom worker (database: ${env.embedded ? 'embedded SQLite' : 'PostgreSQL'})`);
  stopOnSignals();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? err.stack : err.message) : err);
  process.exit(1);
});
