import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { createStore, type SignedInConsole } from '@/tests/e2e/support/session';

export const NOTIFICATIONS_FORM = 'form[aria-label="Notifications settings"]';

/** Issue 11's goal for the Notifications page: the gzipped JavaScript a first visit loads. */
export const NOTIFICATIONS_JS_GOAL = 150_000;

export type Script = { url: string; raw: number; gzip: number; holds: string[] };
export type Weight = { scripts: Script[]; raw: number; gzip: number };

/** What a chunk holds, told by names that survive minification: class names Zod registers, object keys, texts. */
const MARKERS: [string, RegExp][] = [
  ['Zod core', /"\$ZodType"/],
  ['classic Zod', /"ZodType"/],
  ['Zod Mini', /"ZodMiniType"/],
  ['Zod locales besides English', /Nieprawidłow/],
  ['React', /react\.dev\/errors/],
  ['Next.js router', /__next_f|next-router-state-tree/],
  ['react-hook-form', /shouldUnregister/],
  ['next-auth client', /nextauth\.message/],
  ['next/image', /getImgProps/],
  ['Notifications form', /Notifications settings/],
  ['notifications schema', /Enter the SMTP username/],
  ['OAuth 2.0 fields', /Discover endpoints/],
  ['OAuth connection card', /Allow signing in with a different mailbox/],
  ['Test Notification dialog', /Send the test email to/],
];

const holdsOf = (body: string) => MARKERS.filter(([, re]) => re.test(body)).map(([name]) => name);

/**
 * Records every JavaScript response `page` receives; `take()` returns those since the previous
 * take. Sizes are the bodies' own: gzip at zlib's default level, whatever the server sent.
 */
export function recordScripts(page: Page): { take: () => Promise<Weight> } {
  let pending: Promise<Script | null>[] = [];
  const measure = async (res: Response): Promise<Script | null> => {
    const type = res.headers()['content-type'] ?? '';
    if (res.request().resourceType() !== 'script' && !/javascript/.test(type)) return null;
    const body = await res.body().catch(() => null);
    if (!body) return null;
    return { url: res.url(), raw: body.length, gzip: gzipSync(body).length, holds: holdsOf(body.toString('utf8')) };
  };
  page.on('response', (res) => pending.push(measure(res)));
  return {
    take: async () => {
      const taken = pending;
      pending = [];
      const scripts = (await Promise.all(taken)).filter((s): s is Script => s !== null).sort((a, b) => b.gzip - a.gzip);
      return { scripts, raw: scripts.reduce((n, s) => n + s.raw, 0), gzip: scripts.reduce((n, s) => n + s.gzip, 0) };
    },
  };
}

type PageWeight = { firstLoad: Weight; firstUse: Weight; firstSave: Weight };

/** Resolves once React has hydrated the element `selector` names (it marks the elements it owns). */
export async function hydrated(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return !!el && Object.keys(el).some((k) => k.startsWith('__reactFiber'));
    },
    selector,
    { polling: 20 },
  );
}

/**
 * A new store's Notifications page as its admin first opens it, in a context of its own (an empty
 * cache, so every script the page needs is loaded): the JavaScript until the network is idle; what
 * the pointer reaching the form loads (the forms' own code, hydrated then); then what a first save
 * loads on top (the browser-side validation, loaded once the form is edited).
 */
export async function measureNotificationsPage(c: SignedInConsole): Promise<PageWeight> {
  await createStore(c.page, c.app.url, 'Weight');
  const context = await c.browser.newContext({ storageState: await c.context.storageState() });
  try {
    const page = await context.newPage();
    const scripts = recordScripts(page);
    const res = await page.goto(c.page.url(), { waitUntil: 'networkidle' });
    if (!res?.ok()) throw new Error(`${c.page.url()} answered ${res?.status()}`);
    const firstLoad = await scripts.take();
    await page.getByLabel('From email address').hover();
    await hydrated(page, NOTIFICATIONS_FORM);
    const firstUse = await scripts.take();
    await page.getByLabel('From email address').fill('not-an-address');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The browser's own validation: a refusal from the server would say "Some fields need attention".
    await page.getByText(/^Nothing was saved: .* need attention\.$/).waitFor();
    await page.getByText('"not-an-address" is not a valid email address.').waitFor();
    return { firstLoad, firstUse, firstSave: await scripts.take() };
  } finally {
    await context.close();
  }
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

const chunkLines = (w: Weight, largest: number) =>
  w.scripts
    .slice(0, largest)
    .map(
      (s) =>
        `  ${kB(s.gzip).padStart(9)} ${kB(s.raw).padStart(9)}  ${new URL(s.url).pathname.split('/').pop()}${s.holds.length ? `  ${s.holds.join(', ')}` : ''}`,
    );

/** The summary line, the largest chunks with what they hold, then what the first use and the first save add. */
export function describeWeight({ firstLoad, firstUse, firstSave }: PageWeight, largest = 8): string[] {
  const met = firstLoad.gzip < NOTIFICATIONS_JS_GOAL ? 'met' : 'not met';
  return [
    `Notifications page JavaScript: ${kB(firstLoad.gzip)} gzip (${firstLoad.scripts.length} scripts, ${kB(firstLoad.raw)} raw); goal < ${kB(NOTIFICATIONS_JS_GOAL)}: ${met}`,
    `largest chunks (gzip, raw, what they hold):`,
    ...chunkLines(firstLoad, largest),
    `loaded when the pointer first reaches the form (its code, then hydrated): ${kB(firstUse.gzip)} gzip (${firstUse.scripts.length} scripts)`,
    ...chunkLines(firstUse, largest),
    `loaded once the form is edited and saved (validation, what saving would do): ${kB(firstSave.gzip)} gzip (${firstSave.scripts.length} scripts)`,
    ...chunkLines(firstSave, largest),
  ];
}
