/**
 * The outbox worker of one process: finds the stores with due messages, and for each one that is
 * not paused takes as many attempts as its connection share, its sending rate and this process's
 * free slots allow, then sends them through the store's pooled connection. Wakes up when a message
 * is queued in this process, when a send finishes, and otherwise polls (other processes' work).
 */
import os from 'node:os';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import type { DeliveryTicket, JobEngine } from '@/lib/jobs';
import { logger } from '@/lib/log';
import { attemptDelivery } from '@/lib/outbox/attempt';
import { HEARTBEAT_ALIVE_MS } from '@/lib/outbox/backlog';
import { connectionShare, limitsFor, type StoreLimits } from '@/lib/outbox/limits';
import { pauseReason } from '@/lib/outbox/readiness';
import { DEFAULT_RETRY, type RetryPolicy } from '@/lib/outbox/retry';
import { SenderCache } from '@/lib/outbox/senders';
import { onWake } from '@/lib/outbox/signals';
import { Pacer, returnSlots, takeSlots } from '@/lib/outbox/throttle';

export type WorkerOptions = {
  concurrency: number;
  leaseSeconds: number;
  retry: RetryPolicy;
  /** Poll for other processes' work this often when idle. */
  pollMs: number;
};

const HEARTBEAT_MS = 10_000;
/** Due messages an unthrottled lane takes per read on the embedded database. */
const LOCAL_BATCH = 8;

export function workerOptionsFromEnv(): WorkerOptions {
  const env = getEnv();
  return {
    concurrency: env.OUTBOX_CONCURRENCY,
    leaseSeconds: env.OUTBOX_LEASE_SECONDS,
    retry: { ...DEFAULT_RETRY, baseSeconds: env.OUTBOX_RETRY_BASE_SECONDS },
    pollMs: env.embedded ? 5_000 : 1_000,
  };
}

const PROFILE_SELECT = {
  storeId: true,
  version: true,
  transport: true,
  host: true,
  useAuth: true,
  authType: true,
  oauthStatus: true,
  sendPerMinute: true,
  maxConnections: true,
  dailyRecipientLimit: true,
  maxAttempts: true,
} as const;
type ProfileRow = {
  storeId: string;
  version: number;
  transport: string;
  host: string;
  useAuth: boolean;
  authType: string;
  oauthStatus: string;
  sendPerMinute: number | null;
  maxConnections: number | null;
  dailyRecipientLimit: number | null;
  maxAttempts: number;
};

const dueWhere = (now: Date) => ({
  OR: [
    { state: { in: ['queued', 'retrying'] }, nextAttemptAt: { lte: now } },
    { state: 'sending', leaseUntil: { lt: now } },
  ],
});

export class OutboxWorker {
  readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  private running = false;
  /** Messages being sent by this process, and their store. */
  private readonly inFlight = new Map<string, string>();
  /** Running lanes and their store. */
  private readonly lanes = new Map<symbol, string>();
  private readonly senders = new SenderCache();
  private wake: (() => void) | undefined;
  private kicked = false;
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private processes = { count: 1, at: 0 };
  private readonly pacers = new Map<string, Pacer>();

  constructor(
    private readonly engine: JobEngine,
    private readonly o: WorkerOptions = workerOptionsFromEnv(),
  ) {}

  get busy(): number {
    return this.inFlight.size;
  }

  /** Taking messages (started, not stopping). */
  get accepting(): boolean {
    return this.running;
  }

  /** Resolves when no lane is running. */
  private idle(): Promise<void> {
    if (!this.lanes.size) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.lanes.size ? setTimeout(check, 20) : resolve());
      check();
    });
  }

  async start(): Promise<void> {
    this.running = true;
    await this.beat();
    if (this.engine.kind === 'local') {
      // One process works the embedded database: whatever was "sending" when it stopped is cut off now.
      await db.outboxMessage.updateMany({ where: { state: 'sending' }, data: { leaseUntil: new Date(0) } });
    }
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_MS).unref();
    // A send that takes longer than a lease (a slow server, a loaded machine) keeps its message.
    const renewMs = Math.max(500, (this.o.leaseSeconds * 1000) / 3);
    this.renewal = setInterval(() => void this.renewLeases(), renewMs).unref();
    this.unsubscribe = onWake(() => this.kick());
    this.loopDone = this.loop();
  }

  /** Stops taking messages, waits up to `timeoutMs` for the ones being sent, then lets go of the rest. */
  async stop(timeoutMs: number): Promise<{ unfinished: number }> {
    this.running = false;
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    this.kick();
    await this.db(() => db.workerHeartbeat.update({ where: { id: this.id }, data: { state: 'stopping', seenAt: new Date() } }));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    await this.loopDone;
    // From here on nothing renews a lease: the ones still held are released below, or run out.
    clearInterval(this.renewal);
    const unfinished = [...this.inFlight.entries()];
    if (unfinished.length) {
      // Cut off at the bound: their leases are released so another process (or the next start)
      // sends them again at once, with the same Message-ID. Their connections are left to the
      // process's exit: closing them now would record a failure over the other process's claim.
      logger.warn({ unfinished: unfinished.length }, 'outbox: stopped with messages still being sent');
      await this.db(() => this.releaseLeases(unfinished));
    } else {
      this.senders.closeAll();
    }
    await this.db(() => db.workerHeartbeat.delete({ where: { id: this.id } }));
    return { unfinished: unfinished.length };
  }

  private async releaseLeases(messages: [string, string][]): Promise<void> {
    const released = await db.outboxMessage.updateMany({
      where: { id: { in: messages.map(([id]) => id) }, state: 'sending', leaseOwner: this.id },
      data: { leaseUntil: new Date(0) },
    });
    if (!released.count) return;
    const now = new Date();
    for (const [id, storeId] of messages) await this.engine.scheduleDelivery(storeId, id, now);
  }

  private kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let waitMs = this.o.pollMs;
      try {
        waitMs = await this.tick();
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox: worker pass failed');
      }
      if (!this.running) break;
      if (this.kicked) {
        this.kicked = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, waitMs));
        this.wake = () => (clearTimeout(timer), resolve());
      });
      this.wake = undefined;
      this.kicked = false;
    }
  }

  /**
   * One pass: finds the stores with due messages and starts lanes for them. A lane is one
   * connection's worth of work: it takes the store's next due attempt, sends it, and goes on until
   * the store has nothing due, so a backlog drains without a pass per message.
   */
  private async tick(): Promise<number> {
    if (this.lanes.size >= this.o.concurrency) return this.o.pollMs;
    const now = new Date();
    const due = await db.outboxMessage.groupBy({ by: ['storeId'], where: dueWhere(now), _count: { _all: true } });
    if (!due.length) return this.untilNextDue(now);
    const profiles = await db.notificationProfile.findMany({
      where: { storeId: { in: due.map((d) => d.storeId) } },
      select: PROFILE_SELECT,
    });
    const processes = await this.activeProcesses();
    let sleep = this.o.pollMs;
    for (const p of profiles) {
      if (pauseReason(p)) continue;
      const limits = limitsFor(p);
      // Rows this process is about to claim still look due: only the rest can use another lane.
      const waiting = (due.find((d) => d.storeId === p.storeId)?._count._all ?? 0) - this.inFlightOf(p.storeId);
      const lanes = Math.min(limits.perMinute ? 1 : connectionShare(limits.connections, processes), waiting);
      const running = this.lanesOf(p.storeId);
      for (let i = running; i < lanes && this.lanes.size < this.o.concurrency; i++) this.startLane(p, limits, processes);
      if (limits.perMinute) sleep = Math.min(sleep, this.pacerOf(p.storeId).waitMs(limits.perMinute) || sleep);
    }
    return sleep;
  }

  private lanesOf(storeId: string): number {
    return [...this.lanes.values()].filter((s) => s === storeId).length;
  }

  private inFlightOf(storeId: string): number {
    return [...this.inFlight.values()].filter((s) => s === storeId).length;
  }

  private pacerOf(storeId: string): Pacer {
    let p = this.pacers.get(storeId);
    if (!p) this.pacers.set(storeId, (p = new Pacer()));
    return p;
  }

  private startLane(p: ProfileRow, limits: StoreLimits, processes: number): void {
    const lane = Symbol(p.storeId);
    this.lanes.set(lane, p.storeId);
    void this.runLane(p, limits, processes)
      .catch((err: unknown) => {
        logger.warn({ storeId: p.storeId, err: err instanceof Error ? err.message : String(err) }, 'outbox: lane stopped');
        return 0;
      })
      .then((sent) => {
        this.lanes.delete(lane);
        // A lane that sent something frees a slot for more work; one that found nothing must not spin the loop.
        if (sent > 0) this.kick();
      });
  }

  /** Sends the store's due messages one after another; returns how many attempts it made. */
  private async runLane(p: ProfileRow, limits: StoreLimits, processes: number): Promise<number> {
    let attempts = 0;
    const sender = await this.senders.get(p.storeId, p.version, connectionShare(limits.connections, processes));
    const ctx = {
      engine: this.engine,
      worker: this.id,
      leaseMs: this.o.leaseSeconds * 1000,
      retry: this.o.retry,
      maxAttempts: p.maxAttempts,
      transport: p.transport === 'graph' ? ('graph' as const) : ('smtp' as const),
      send: sender.send,
    };
    const pacer = limits.perMinute ? this.pacerOf(p.storeId) : undefined;
    // On the embedded database a lane takes several due messages per read (they stay in this
    // process); a pg-boss job is acknowledged when done, so there each lane takes one at a time.
    const batch = this.engine.kind === 'local' && !pacer ? LOCAL_BATCH : 1;
    let pending: DeliveryTicket[] = [];
    const perMinute = limits.perMinute;
    // A throttled store: one lane; the next message is claimed while the previous one's spacing
    // runs out, and sent once the spacing since the last one was accepted has passed.
    const beforeSend =
      pacer && perMinute
        ? async () => {
            const wait = pacer.waitMs(perMinute);
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
        : undefined;
    while (this.running) {
      if (pacer && limits.perMinute) {
        const slot = await takeSlots(p.storeId, limits.perMinute, 1);
        if (!slot.granted) {
          await new Promise((r) => setTimeout(r, slot.waitMs));
          continue;
        }
      }
      if (!pending.length) pending = await this.engine.takeDeliveries(p.storeId, batch, new Set(this.inFlight.keys()));
      const ticket = pending.shift();
      if (!ticket) {
        if (pacer && limits.perMinute) await returnSlots(p.storeId, limits.perMinute, 1);
        return attempts;
      }
      // Another lane of this store took the same row while this one was asking: take the next.
      if (this.inFlight.has(ticket.outboxId)) {
        await ticket.done();
        continue;
      }
      this.inFlight.set(ticket.outboxId, p.storeId);
      attempts++;
      const started = Date.now();
      try {
        const r = await attemptDelivery(ticket.outboxId, { ...ctx, beforeSend });
        logger.debug({ outboxId: ticket.outboxId, outcome: r?.outcome ?? 'not claimed' }, 'outbox: attempt finished');
        pacer?.done(r?.durationMs ?? Date.now() - started, r?.finishedAt);
        // A store that turned out to need a reconnect stops here; the queue waits for it.
        if (r?.outcome === 'paused') break;
      } finally {
        this.inFlight.delete(ticket.outboxId);
        await ticket.done();
      }
    }
    // Messages handed to this lane but not attempted go back (the embedded engine only batches).
    for (const t of pending) await t.done();
    return attempts;
  }

  /** Sleep until the next scheduled attempt, but not past the poll interval. */
  private async untilNextDue(now: Date): Promise<number> {
    const next = await db.outboxMessage.findFirst({
      where: { state: { in: ['queued', 'retrying'] } },
      orderBy: { nextAttemptAt: 'asc' },
      select: { nextAttemptAt: true },
    });
    return next ? Math.min(this.o.pollMs, Math.max(10, next.nextAttemptAt.getTime() - now.getTime())) : this.o.pollMs;
  }

  private async activeProcesses(): Promise<number> {
    if (Date.now() - this.processes.at < 5_000) return this.processes.count;
    const count = await db.workerHeartbeat.count({
      where: { state: 'running', seenAt: { gt: new Date(Date.now() - HEARTBEAT_ALIVE_MS) } },
    });
    this.processes = { count: Math.max(1, count), at: Date.now() };
    return this.processes.count;
  }

  /** Extends the lease of every message this process is sending; a killed process's leases run out. */
  private async renewLeases(): Promise<void> {
    if (!this.inFlight.size) return;
    await this.db(() =>
      db.outboxMessage.updateMany({
        where: { id: { in: [...this.inFlight.keys()] }, state: 'sending', leaseOwner: this.id },
        data: { leaseUntil: new Date(Date.now() + this.o.leaseSeconds * 1000) },
      }),
    );
  }

  private async beat(): Promise<void> {
    const data = {
      host: os.hostname(),
      pid: process.pid,
      seenAt: new Date(),
      inFlight: this.inFlight.size,
      state: this.running ? 'running' : 'stopping',
    };
    await db.workerHeartbeat.upsert({ where: { id: this.id }, create: { id: this.id, ...data }, update: data });
  }

  private async db(run: () => Promise<unknown>): Promise<void> {
    await run().catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox: heartbeat write failed'),
    );
  }
}
