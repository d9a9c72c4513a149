/**
 * The outbox's backlog across all processes, read from the database when asked (readiness,
 * metrics): messages waiting by state, the age of the oldest one, and the processes working it.
 */
import { db } from '@/lib/db';

/** A worker whose heartbeat (every 10 s) is older than this no longer counts. */
export const HEARTBEAT_ALIVE_MS = 35_000;

const WAITING = ['queued', 'retrying', 'sending'] as const;

export type Backlog = {
  queued: number;
  retrying: number;
  sending: number;
  /** Seconds since the oldest waiting message was accepted; 0 when none waits. */
  oldestAgeSeconds: number;
};

export async function outboxBacklog(now = new Date()): Promise<Backlog> {
  const [counts, oldest] = await Promise.all([
    db.outboxMessage.groupBy({ by: ['state'], where: { state: { in: [...WAITING] } }, _count: { _all: true } }),
    db.outboxMessage.findFirst({
      where: { state: { in: [...WAITING] } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    }),
  ]);
  const count = (state: string) => counts.find((c) => c.state === state)?._count._all ?? 0;
  return {
    queued: count('queued'),
    retrying: count('retrying'),
    sending: count('sending'),
    oldestAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.createdAt.getTime()) / 1000)) : 0,
  };
}

export type WorkerView = { id: string; host: string; pid: number; state: string; inFlight: number; seenAt: string };

/** The outbox workers of every process whose heartbeat is recent. */
export async function liveWorkers(now = new Date()): Promise<WorkerView[]> {
  const rows = await db.workerHeartbeat.findMany({
    where: { seenAt: { gt: new Date(now.getTime() - HEARTBEAT_ALIVE_MS) } },
    orderBy: { startedAt: 'asc' },
    select: { id: true, host: true, pid: true, state: true, inFlight: true, seenAt: true },
  });
  return rows.map((r) => ({ ...r, seenAt: r.seenAt.toISOString() }));
}
