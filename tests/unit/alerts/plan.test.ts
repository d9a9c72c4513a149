import { describe, expect, it } from 'vitest';
import { storeOrder } from '@/lib/alerts/channels';
import type { ActiveCondition } from '@/lib/alerts/conditions';
import { planAlerts, type OpenAlert } from '@/lib/alerts/plan';

const T = new Date('2027-01-10T12:00:00Z');
const minutes = (n: number) => new Date(T.getTime() + n * 60_000);

const active = (key: string, stage = ''): ActiveCondition => ({
  key,
  condition: 'send_failures',
  storeId: 's1',
  storeName: 'Contoso',
  severity: 'error',
  stage,
  title: key,
  detail: '',
});
const open = (key: string, lastNotifiedAt: Date, stage = ''): OpenAlert => ({
  id: `a-${key}`,
  key,
  stage,
  title: key,
  storeName: 'Contoso',
  severity: 'error',
  detail: '',
  condition: 'send_failures',
  storeId: 's1',
  lastNotifiedAt,
});
const events = (steps: ReturnType<typeof planAlerts>) => steps.map((s) => s.event);

describe('planAlerts', () => {
  it('fires a new condition, stays quiet until the interval, repeats, resolves', () => {
    expect(events(planAlerts([], [active('k')], 60, T))).toEqual(['fired']);
    expect(events(planAlerts([open('k', T)], [active('k')], 60, minutes(59)))).toEqual([]);
    expect(events(planAlerts([open('k', T)], [active('k')], 60, minutes(60)))).toEqual(['repeat']);
    expect(events(planAlerts([open('k', T)], [], 60, minutes(1)))).toEqual(['resolved']);
  });

  it('announces a new stage at once, whatever the interval', () => {
    const steps = planAlerts([open('k', T, '30')], [active('k', '7')], 600, minutes(1));
    expect(steps).toMatchObject([{ event: 'fired', replaces: { id: 'a-k' } }]);
  });
});

describe('storeOrder', () => {
  const channel = { storeId: 'a', fallbackStoreId: 'b' };
  it('tries the alert store first, the fallback second', () => {
    expect(storeOrder(channel, { event: 'fired', storeId: 'other' })).toEqual(['a', 'b']);
    expect(storeOrder(channel, { event: 'test', storeId: null })).toEqual(['a', 'b']);
  });
  it('tries the fallback first when the alert is about the alert store', () => {
    expect(storeOrder(channel, { event: 'fired', storeId: 'a' })).toEqual(['b', 'a']);
    expect(storeOrder(channel, { event: 'repeat', storeId: 'a' })).toEqual(['b', 'a']);
    expect(storeOrder({ storeId: 'a', fallbackStoreId: null }, { event: 'fired', storeId: 'a' })).toEqual(['a']);
  });
});
