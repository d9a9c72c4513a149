/**
 * Everything a Mailroom process does besides answering HTTP: the job engine, the outbox worker and
 * the periodic jobs. `npm start` and `npm run worker` start it; the worker registers as the
 * "outbox" component, so readiness shows it and the graceful stop (lib/runtime/process.ts) stops
 * it: no new messages, in-flight sends finish within the bound, leases released.
 */
import { getJobEngine, stopJobEngine } from '@/lib/jobs';
import { periodicJobs } from '@/lib/jobs/schedules';
import { logger } from '@/lib/log';
import { OutboxWorker, workerOptionsFromEnv, type WorkerOptions } from '@/lib/outbox/worker';
import { registerComponent } from '@/lib/runtime/components';

export type Background = {
  worker: OutboxWorker;
  /** Stops the worker and the job engine outside a signal (tests, embedding). */
  stop: (timeoutMs: number) => Promise<{ unfinished: number }>;
};

export async function startBackground(opts: { worker?: Partial<WorkerOptions>; periodic?: boolean } = {}): Promise<Background> {
  const engine = await getJobEngine();
  const worker = new OutboxWorker(engine, { ...workerOptionsFromEnv(), ...opts.worker });
  await worker.start();
  if (opts.periodic !== false) {
    for (const job of periodicJobs(engine)) await engine.every(job);
  }
  const unregister = registerComponent({
    name: 'outbox',
    status: () => ({ ready: worker.accepting, detail: { engine: engine.kind, inFlight: worker.busy } }),
    stop: (timeoutMs) => worker.stop(timeoutMs),
  });
  logger.info({ engine: engine.kind, worker: worker.id }, 'outbox worker started');
  return {
    worker,
    stop: async (timeoutMs) => {
      unregister();
      const r = await worker.stop(timeoutMs);
      await stopJobEngine();
      return r;
    },
  };
}
