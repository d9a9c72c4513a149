import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWeight, measureNotificationsPage, NOTIFICATIONS_JS_GOAL, type Weight } from '@/tests/e2e/support/page-weight';
import { openConsole, type SignedInConsole } from '@/tests/e2e/support/session';

let ui: SignedInConsole;

beforeAll(async () => {
  ui = await openConsole();
});
afterAll(async () => {
  await ui?.close();
});

const holding = (w: Weight, what: RegExp) => w.scripts.filter((s) => s.holds.some((h) => what.test(h)));

describe('Notifications page weight', () => {
  it('loads less JavaScript than the goal; the forms when first reached, Zod once edited and saved', async () => {
    const weight = await measureNotificationsPage(ui);
    const report = describeWeight(weight).join('\n');
    expect(weight.firstLoad.gzip, report).toBeLessThan(NOTIFICATIONS_JS_GOAL);
    expect(holding(weight.firstLoad, /Zod|react-hook-form|Notifications form/), report).toEqual([]);
    expect(holding(weight.firstUse, /react-hook-form/).length, report).toBeGreaterThan(0);
    expect(holding(weight.firstUse, /Zod/), report).toEqual([]);
    expect(holding(weight.firstSave, /Zod/).length, report).toBeGreaterThan(0);
  });
});
