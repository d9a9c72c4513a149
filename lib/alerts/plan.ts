/**
 * What an evaluation changes: a condition that starts fires once, one that lasts is repeated after
 * the interval (or at once when it escalates to another stage), one that ends is resolved. Pure.
 */
import type { ActiveCondition } from '@/lib/alerts/conditions';

export type AlertEvent = 'fired' | 'repeat' | 'resolved';

export type OpenAlert = {
  id: string;
  key: string;
  stage: string;
  title: string;
  storeName: string;
  severity: string;
  detail: string;
  condition: string;
  storeId: string | null;
  lastNotifiedAt: Date;
};

export type PlannedStep =
  | { event: 'fired'; condition: ActiveCondition; replaces?: OpenAlert }
  | { event: 'repeat'; alert: OpenAlert; condition: ActiveCondition }
  | { event: 'resolved'; alert: OpenAlert };

export function planAlerts(open: OpenAlert[], active: ActiveCondition[], repeatMinutes: number, now: Date): PlannedStep[] {
  const byKey = new Map(open.map((a) => [a.key, a]));
  const steps: PlannedStep[] = [];
  for (const c of active) {
    const current = byKey.get(c.key);
    byKey.delete(c.key);
    if (!current) steps.push({ event: 'fired', condition: c });
    else if (current.stage !== c.stage) steps.push({ event: 'fired', condition: c, replaces: current });
    else if (now.getTime() - current.lastNotifiedAt.getTime() >= repeatMinutes * 60_000)
      steps.push({ event: 'repeat', alert: current, condition: c });
  }
  for (const gone of byKey.values()) steps.push({ event: 'resolved', alert: gone });
  return steps;
}
