/**
 * The queue engine behind one interface: pg-boss on PostgreSQL (several processes share the work),
 * an in-process engine on the embedded SQLite database (one process works the outbox).
 * The outbox table stays the source of truth; an engine only decides who makes which attempt when.
 */
import type { Db } from '@/lib/db';

/** A Prisma transaction client (what `db.$transaction(async (tx) => …)` passes). */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** One delivery attempt handed to this process; `done` acknowledges it whatever happened. */
export type DeliveryTicket = { outboxId: string; done: () => Promise<void> };

export type PeriodicJob = {
  name: string;
  /** Every this many minutes (1–1440); on pg-boss a cron schedule, so one process runs each tick. */
  everyMinutes: number;
  run: () => Promise<void>;
};

export interface JobEngine {
  readonly kind: 'pg-boss' | 'local';
  start(): Promise<void>;
  /** Stops fetching and schedules; in-flight tickets may still be acknowledged. */
  stop(): Promise<void>;
  /**
   * Makes an attempt of `outboxId` (of `storeId`) due at `at`. With `tx` (PostgreSQL) the job is
   * committed or rolled back with the caller's transaction.
   */
  scheduleDelivery(storeId: string, outboxId: string, at: Date, tx?: Tx): Promise<void>;
  /** Up to `max` due attempts of one store for this process. */
  takeDeliveries(storeId: string, max: number, exclude: ReadonlySet<string>): Promise<DeliveryTicket[]>;
  /** Registers a periodic job that runs once per tick across all processes. */
  every(job: PeriodicJob): Promise<void>;
}
