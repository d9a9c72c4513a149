/**
 * Mailroom's own metrics, exported by GET /api/metrics (docs/operations.md#metrics). Counters move
 * where the work happens; the queue's gauges are read from the database at scrape time, so every
 * process reports the whole outbox, whichever one the scraper reaches.
 */
import { logger } from '@/lib/log';
import { metricsRegistry, counter, gauge, histogram } from '@/lib/metrics/registry';
import { liveWorkers, outboxBacklog } from '@/lib/outbox/backlog';

export { counter, gauge, histogram } from '@/lib/metrics/registry';

const sends = () =>
  counter('mailroom_sends_total', 'Outbox delivery attempts by store (id) and result (sent, temporary, permanent, paused)', [
    'store',
    'result',
  ]);
const tokenRefreshes = () =>
  counter('mailroom_oauth_token_refreshes_total', 'OAuth access-token requests to a provider, by result (ok, failed)', [
    'result',
  ]);
const periodicRuns = () =>
  counter('mailroom_periodic_job_runs_total', 'Periodic jobs run by this process, by job and result (ok, failed)', [
    'job',
    'result',
  ]);
const http = () =>
  histogram(
    'mailroom_http_request_duration_seconds',
    'Console HTTP requests: time to the last byte, by method, route and status',
    ['method', 'route', 'status'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );

export const countSend = (storeId: string, result: string) => sends().inc({ store: storeId, result });
export const countTokenRefresh = (result: 'ok' | 'failed') => tokenRefreshes().inc({ result });
export const countPeriodicRun = (job: string, result: 'ok' | 'failed') => periodicRuns().inc({ job, result });

export function observeHttp(method: string, url: string, status: number, seconds: number): void {
  http().observe({ method, route: routeLabel(url), status: String(status) }, seconds);
}

const ID = /^(c[a-z0-9]{20,}|[0-9a-f-]{16,}|\d+)$/i;

/** A path with its ids replaced, so each page or API route is one series: /api/stores/:id/test. */
export function routeLabel(url: string): string {
  const path = url.split('?')[0] ?? '/';
  if (path.startsWith('/_next/')) return '/_next';
  return path
    .split('/')
    .map((part) => (ID.test(part) ? ':id' : part))
    .join('/')
    .slice(0, 100);
}

/** The text a Prometheus server scrapes, with the queue read from the database now. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const up = gauge('mailroom_database_up', 'Whether the database answered this scrape (1) or not (0)', []);
  const messages = gauge('mailroom_outbox_messages', 'Messages waiting in the outbox, by state', ['state']);
  const oldest = gauge('mailroom_outbox_oldest_age_seconds', 'Age of the oldest message waiting in the outbox', []);
  const workers = gauge('mailroom_outbox_workers', 'Outbox workers (all processes) with a recent heartbeat', []);
  try {
    const [backlog, live] = await Promise.all([outboxBacklog(), liveWorkers()]);
    for (const state of ['queued', 'retrying', 'sending'] as const) messages.set({ state }, backlog[state]);
    oldest.set(backlog.oldestAgeSeconds);
    workers.set(live.filter((w) => w.state === 'running').length);
    up.set(1);
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: the database did not answer');
    // No stale figures: the queue is unknown while the database does not answer.
    for (const g of [messages, oldest, workers]) g.reset();
    up.set(0);
  }
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
