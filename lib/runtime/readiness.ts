/**
 * Whether this process should get new work (docs/operations.md#readiness): the database answers,
 * it is not stopping, each of its components is ready, and some process's outbox worker is alive.
 * The queue's backlog is reported, not judged: a backlog is a reason to look, not to take a
 * console out of the load balancer.
 */
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { liveWorkers, outboxBacklog, type Backlog } from '@/lib/outbox/backlog';
import { componentStatuses, isStopping, type ComponentStatus } from '@/lib/runtime/components';

export type ReadinessReport = {
  status: 'ready' | 'not_ready';
  reasons: string[];
  database: { provider: 'sqlite' | 'postgresql'; status: 'ok' | 'unavailable' };
  queue: Backlog | null;
  workers: { running: number; stopping: number; inFlight: number } | null;
  components: Record<string, ComponentStatus>;
};

export async function readiness(): Promise<ReadinessReport> {
  const provider = getEnv().embedded ? 'sqlite' : 'postgresql';
  const reasons: string[] = [];
  if (isStopping()) reasons.push('This process is stopping.');
  const components = await componentStatuses();
  for (const [name, s] of Object.entries(components)) if (!s.ready) reasons.push(`The ${name} component is not ready.`);

  let queue: Backlog | null = null;
  let workers: ReadinessReport['workers'] = null;
  let database: ReadinessReport['database'] = { provider, status: 'ok' };
  try {
    await db.$queryRawUnsafe('SELECT 1');
    const [backlog, live] = await Promise.all([outboxBacklog(), liveWorkers()]);
    queue = backlog;
    const running = live.filter((w) => w.state === 'running');
    workers = {
      running: running.length,
      stopping: live.length - running.length,
      inFlight: live.reduce((n, w) => n + w.inFlight, 0),
    };
    if (!running.length) reasons.push('No outbox worker has a recent heartbeat: queued messages are not being sent.');
  } catch {
    database = { provider, status: 'unavailable' };
    reasons.push('The database is not answering.');
  }
  return { status: reasons.length ? 'not_ready' : 'ready', reasons, database, queue, workers, components };
}
