/**
 * The long-running parts of a Mailroom process (the HTTP console, the outbox worker, a listener…)
 * register here once started: readiness reports their status, and the graceful stop stops them all
 * with one bound. Kept on globalThis: route handlers and the runtime load separate copies of lib/.
 */

export type ComponentStatus = {
  /** false makes the process not ready (readiness answers 503). */
  ready: boolean;
  /** What an operator reads next to it: a listener's address, messages in flight… */
  detail?: Record<string, unknown>;
};

export type Component = {
  name: string;
  status: () => ComponentStatus | Promise<ComponentStatus>;
  /** Stops taking work and lets work in progress finish within `timeoutMs`; returns a summary for the log. */
  stop: (timeoutMs: number) => Promise<Record<string, unknown> | void>;
};

type Registry = { components: Map<string, Component>; stopping: boolean };
const g = globalThis as unknown as { mailroomComponents?: Registry };
const registry = (): Registry => (g.mailroomComponents ??= { components: new Map(), stopping: false });

/** Adds a started component (a later one with the same name replaces it); returns its removal. */
export function registerComponent(c: Component): () => void {
  const r = registry();
  r.components.set(c.name, c);
  return () => {
    if (r.components.get(c.name) === c) r.components.delete(c.name);
  };
}

/** True from the first stop signal on: readiness fails, so a load balancer sends new work elsewhere. */
export const isStopping = (): boolean => registry().stopping;

/** Each registered component's status; a status that throws reads as not ready. */
export async function componentStatuses(): Promise<Record<string, ComponentStatus>> {
  const entries = await Promise.all(
    [...registry().components.values()].map(async (c): Promise<[string, ComponentStatus]> => {
      try {
        return [c.name, await c.status()];
      } catch (err) {
        return [c.name, { ready: false, detail: { error: err instanceof Error ? err.message : String(err) } }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Stops every component at once, each within `timeoutMs`; the summary is keyed by component. */
export async function stopComponents(timeoutMs: number): Promise<Record<string, unknown>> {
  const r = registry();
  r.stopping = true;
  const results = await Promise.all(
    [...r.components.values()].map(async (c): Promise<[string, unknown]> => {
      try {
        return [c.name, (await c.stop(timeoutMs)) ?? 'stopped'];
      } catch (err) {
        return [c.name, { error: err instanceof Error ? err.message : String(err) }];
      }
    }),
  );
  r.components.clear();
  return Object.fromEntries(results);
}
