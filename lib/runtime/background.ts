/**
 * Everything a Mailroom process does besides answering HTTP: the job engine, the outbox worker and
 * the periodic jobs. `npm start` starts it beside the console; `stop()` is the graceful half of
 * SIGTERM (no new work, in-flight sends finish within the bound, leases released).
 */
import { getJobEngine, stopJobEngine } from '@/lib/jobs';
import { PERIODIC_JOBS, strandedMessagesJob } from '@/lib/jobs/schedules';
import { logger } from '@/lib/log';
import { OutboxWorker, workerOptionsFromEnv, type WorkerOptions } from '@/lib/outbox/worker';

export type Background = { worker: OutboxWorker; stop: (timeoutMs: number) => Promise<{ unfinished: number }> };

export async function startBackground(opts: { worker?: Partial<WorkerOptions>; periodic?: boolean } = {}): Promise<Background> {
  const engine = await getJobEngine();
  const worker = new OutboxWorker(engine, { ...workerOptionsFromEnv(), ...opts.worker });
  await worker.start();
  if (opts.periodic !== false) {
    for (const job of [...PERIODIC_JOBS, strandedMessagesJob(engine)]) await engine.every(job);
  }
  logger.info({ engine: engine.kind, worker: worker.id }, 'outbox worker started');
  return {
    worker,
    stop: async (timeoutMs) => {
      const r = await worker.stop(timeoutMs);
      await stopJobEngine();
      return r;
    },
  };
}
