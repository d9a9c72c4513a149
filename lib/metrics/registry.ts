/**
 * One Prometheus registry per process (prom-client), on globalThis: the route handlers and the
 * runtime (worker, console server, a listener) load separate copies of lib/ and must count into
 * the same metrics. A metric is created on first use by name, so any component adds its own with
 * one call (`counter('mailroom_relay_connections_total', …)`) and the endpoint exports it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

const g = globalThis as unknown as { mailroomMetrics?: Registry };

export function metricsRegistry(): Registry {
  if (!g.mailroomMetrics) {
    g.mailroomMetrics = new Registry();
    // Process CPU, memory, event-loop lag, open handles: what an operator checks first.
    collectDefaultMetrics({ register: g.mailroomMetrics, prefix: 'mailroom_' });
  }
  return g.mailroomMetrics;
}

function named<M extends Metric>(name: string, create: (registry: Registry) => M): M {
  const registry = metricsRegistry();
  return (registry.getSingleMetric(name) as M | undefined) ?? create(registry);
}

export const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> =>
  named(name, (r) => new Counter({ name, help, labelNames, registers: [r] }));

export const histogram = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> => named(name, (r) => new Histogram({ name, help, labelNames, buckets, registers: [r] }));

/** A gauge whose value `collect` reads at scrape time (e.g. from the database). */
export const gauge = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect?: (this: Gauge<L>) => Promise<void> | void,
): Gauge<L> => named(name, (r) => new Gauge({ name, help, labelNames, registers: [r], ...(collect && { collect }) }));
