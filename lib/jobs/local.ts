/**
 * The embedded (SQLite) engine: one process works the outbox, so the due rows of the outbox table
 * are the queue and periodic jobs are timers. Nothing here coordinates processes; that is what
 * the PostgreSQL engine (pg-boss) is for.
 */
import { db } from '@/lib/db';
import { logger } from '@/lib/log';
import type { DeliveryTicket, JobEngine, PeriodicJob } from '@/lib/jobs/types';

const noop = async () => undefined;

export class LocalEngine implements JobEngine {
  readonly kind = 'local' as const;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  async start(): Promise<void> {
    this.stopped = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
  }

  /** The row's nextAttemptAt is the schedule; the worker wakes itself when it writes one. */
  async scheduleDelivery(): Promise<void> {}

  async takeDeliveries(storeId: string, max: number, exclude: ReadonlySet<string>): Promise<DeliveryTicket[]> {
    const now = new Date();
    const rows = await db.outboxMessage.findMany({
      where: {
        storeId,
        id: { notIn: [...exclude] },
        OR: [
          { state: { in: ['queued', 'retrying'] }, nextAttemptAt: { lte: now } },
          // A "sending" row whose lease ran out was cut off (the process stopped mid-send).
          { state: 'sending', leaseUntil: { lt: now } },
        ],
      },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
      take: max,
      select: { id: true },
    });
    return rows.map((r) => ({ outboxId: r.id, done: noop }));
  }

  async every(job: PeriodicJob): Promise<void> {
    const timer = setInterval(() => {
      if (this.stopped) return;
      job
        .run()
        .catch((err: unknown) =>
          logger.warn({ job: job.name, err: err instanceof Error ? err.message : String(err) }, 'periodic job failed'),
        );
    }, job.everyMinutes * 60_000);
    timer.unref();
    this.timers.add(timer);
  }
}
