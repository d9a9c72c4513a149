/**
 * The embedded (SQLite) engine: one process works the outbox, so the due rows of the outbox table
 * are the queue and periodic jobs are timers. Nothing here coordinates processes; that is what
 * the PostgreSQL engine (pg-boss) is for.
 */
import { db } from '@/lib/db';
import { logger } from '@/lib/log';
import type { DeliveryTicket, JobEngine, PeriodicJob } from '@/lib/jobs/types';

/** Rows read beyond those asked for, so lanes asking at the same moment each get different ones. */
const SPARE = 32;

export class LocalEngine implements JobEngine {
  readonly kind = 'local' as const;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Messages handed to a lane and not yet given back: no other lane gets them meanwhile. */
  private readonly handedOut = new Set<string>();

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
      take: max + this.handedOut.size + SPARE,
      select: { id: true },
    });
    // Several lanes of one store read the same first rows at once; the first to get here takes them.
    const ids = rows
      .map((r) => r.id)
      .filter((id) => !this.handedOut.has(id))
      .slice(0, max);
    for (const id of ids) this.handedOut.add(id);
    return ids.map((outboxId) => ({ outboxId, done: async () => void this.handedOut.delete(outboxId) }));
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
