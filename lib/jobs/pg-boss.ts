/**
 * pg-boss on the PostgreSQL database: one job per delivery attempt in a queue per store (so a
 * throttled or slow store never holds up another), fetched with SKIP LOCKED so each attempt goes to
 * one process; a process killed mid-send leaves an active job that pg-boss expires and hands to
 * another process. Periodic jobs are pg-boss cron schedules: one process runs each tick.
 */
import PgBoss from 'pg-boss';
import { logger } from '@/lib/log';
import type { DeliveryTicket, JobEngine, PeriodicJob, Tx } from '@/lib/jobs/types';

export type PgBossOptions = {
  connectionString: string;
  /** An attempt not acknowledged within this time (a killed process) is handed out again. */
  leaseSeconds: number;
};

const SCHEMA = 'pgboss';

/** Deadlock or a duplicate: two processes creating the same queue (a table partition) at once. */
const RACE_CODES = new Set(['40P01', '23505', '42P07']);

/** Runs `op` again (up to 5 times, with jitter) when another process raced it to the same DDL. */
async function raced<T>(op: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await op();
    } catch (err) {
      if (i >= 4 || !RACE_CODES.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}
const queueOf = (storeId: string) => `outbox.${storeId}`;

/** pg-boss's SQL through the caller's Prisma transaction, so the job commits with the outbox row. */
function inTransaction(tx: Tx): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({
      // pg serialises objects as JSON itself; Prisma's raw queries take them as strings.
      rows: await tx.$queryRawUnsafe<unknown[]>(
        text,
        ...values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v)),
      ),
    }),
  };
}

export class PgBossEngine implements JobEngine {
  readonly kind = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly queues = new Set<string>();

  constructor(private readonly o: PgBossOptions) {
    this.boss = new PgBoss({
      connectionString: o.connectionString,
      schema: SCHEMA,
      application_name: 'mailroom',
      max: 4,
      // Expired attempts (killed processes) are found by the maintenance loop: keep it short.
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(o.leaseSeconds / 2))),
      monitorStateIntervalSeconds: 60,
      // A schedule's tick is sent within seconds of its minute rather than up to half a minute later.
      cronMonitorIntervalSeconds: 10,
      cronWorkerIntervalSeconds: 2,
    });
    this.boss.on('error', (err) => logger.warn({ err: err.message }, 'job engine (pg-boss) error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    // createQueue is idempotent; the attempt's own retries are the outbox's business, not pg-boss's.
    await raced(() =>
      this.boss.createQueue(name, { name, retryLimit: 1000, retryDelay: 0, expireInSeconds: this.o.leaseSeconds }),
    );
    this.queues.add(name);
  }

  async scheduleDelivery(storeId: string, outboxId: string, at: Date, tx?: Tx): Promise<void> {
    const queue = queueOf(storeId);
    await this.ensureQueue(queue);
    await this.boss.send(
      queue,
      { outboxId },
      {
        startAfter: at.toISOString(),
        expireInSeconds: this.o.leaseSeconds,
        ...(tx && { db: inTransaction(tx) }),
      },
    );
  }

  async takeDeliveries(storeId: string, max: number, exclude: ReadonlySet<string>): Promise<DeliveryTicket[]> {
    const queue = queueOf(storeId);
    await this.ensureQueue(queue);
    const jobs = await this.boss.fetch<{ outboxId: string }>(queue, { batchSize: max });
    return jobs.flatMap((job) => {
      const done = () =>
        this.boss
          .complete(queue, job.id)
          .catch((err: Error) => logger.warn({ err: err.message, queue }, 'could not acknowledge a job'));
      // Two jobs for one message (a "Retry now" beside a scheduled retry): the second is only acknowledged.
      if (exclude.has(job.data.outboxId)) {
        void done();
        return [];
      }
      return [{ outboxId: job.data.outboxId, done }];
    });
  }

  async every(job: PeriodicJob): Promise<void> {
    const name = `periodic.${job.name}`;
    await raced(() => this.boss.createQueue(name, { name, policy: 'singleton', retryLimit: 0, expireInSeconds: 15 * 60 }));
    await raced(() => this.boss.schedule(name, cronFor(job.everyMinutes)));
    await this.boss.work(name, { pollingIntervalSeconds: 5 }, async () => {
      await job.run();
    });
  }
}

/** Every N minutes as a cron expression (N divides an hour, or whole hours, or once a day). */
export function cronFor(everyMinutes: number): string {
  if (everyMinutes < 60) return `*/${Math.max(1, Math.round(everyMinutes))} * * * *`;
  if (everyMinutes < 1440) return `0 */${Math.round(everyMinutes / 60)} * * *`;
  return '17 3 * * *';
}
