import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '@/tests/e2e/support/app';
import { recordCspViolations } from '@/tests/e2e/support/browser';
import { ADMIN, openConsole, type SignedInConsole } from '@/tests/e2e/support/session';

let ui: SignedInConsole;
let app: RunningApp;
let page: Page;

beforeAll(async () => {
  ui = await openConsole();
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
});

const scriptSrc = (csp: string | null) => /script-src ([^;]*)/.exec(csp ?? '')?.[1] ?? '';

describe('Content-Security-Policy with per-request nonces', () => {
  it('allows no inline script without the nonce of this response', async () => {
    const [a, b] = await Promise.all([fetch(`${app.url}/login`), fetch(`${app.url}/login`)]);
    const [policyA, policyB] = [a.headers.get('content-security-policy'), b.headers.get('content-security-policy')];
    expect(scriptSrc(policyA)).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'$/);
    expect(policyA).toContain("frame-ancestors 'none'");
    expect(scriptSrc(policyA)).not.toBe(scriptSrc(policyB));
    // Next.js puts the nonce on its own scripts.
    const nonce = /'nonce-([^']+)'/.exec(policyA ?? '')?.[1];
    const html = await a.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html.match(/<script(?![^>]*\bnonce=)[^>]*>/g) ?? []).toEqual([]);

    // The classic injected markup — an inline event handler — does not run, and the browser reports it.
    const context = await ui.browser.newContext();
    const violations = await recordCspViolations(context);
    const probe = await context.newPage();
    await probe.goto(`${app.url}/login`);
    await probe.getByRole('button', { name: 'Sign in' }).waitFor();
    await probe.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src="/missing.png" onerror="document.body.dataset.injected = 1">');
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toContain('script-src');
    expect(await probe.evaluate(() => document.body.dataset.injected)).toBeUndefined();
    await context.close();
  });

  it('the console works under it: pages, forms, server actions and the Test Server dialog, with no violation', async () => {
    // openConsole's close() fails on any violation this admin's pages report; this walks the console once.
    for (const [path, heading] of [
      ['/', 'Overview'],
      ['/users', 'Users'],
      ['/activity', 'Activity'],
      ['/account', 'Account'],
      ['/stores', 'Identity Stores'],
    ] as const) {
      await page.goto(`${app.url}${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    }
    await page.getByLabel('Name').fill('Contoso AD');
    await page.getByRole('button', { name: 'Create identity store' }).click();
    await page.waitForURL(/\/notifications$/);
    await page.getByLabel('SMTP Server', { exact: true }).fill('smtp.contoso.example');
    await page.getByLabel('From email address').fill('helpdesk@contoso.example');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    await page.getByRole('button', { name: 'Test Server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Notification' });
    await dialog.getByLabel('Send the test email to').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
  });
});

describe('server actions', () => {
  it('refuses one that does not show it comes from the console (no Origin, no Sec-Fetch-Site)', async () => {
    const context = await ui.browser.newContext();
    const admin = await context.newPage();
    await admin.goto(`${app.url}/login`);
    await admin.getByLabel('Email address').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();

    // The real request the Stores form sends, to replay with other names.
    await admin.goto(`${app.url}/stores`);
    const sent = new Promise<Request>((resolve) =>
      admin.on('request', (r) => {
        if (r.method() === 'POST' && r.headers()['next-action']) resolve(r);
      }),
    );
    await admin.getByLabel('Name').fill('Recorded store');
    await admin.getByRole('button', { name: 'Create identity store' }).click();
    const recorded = await sent;
    await admin.waitForURL(/\/notifications$/);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const replay = (name: string, extra: Record<string, string>) => {
      const kept = Object.entries(recorded.headers()).filter(([h]) => !['origin', 'sec-fetch-site', 'referer'].includes(h));
      const headers = { ...Object.fromEntries(kept), cookie, ...extra };
      return fetch(`${app.url}/stores`, {
        method: 'POST',
        headers,
        body: (recorded.postData() ?? '').replace('Recorded store', name),
      }).then((r) => r.text());
    };

    expect(await replay('No origin store', {})).toContain('Cross-site request refused');
    // The same request with the console's Origin goes through: the refusal above is the check, not a broken replay.
    await replay('Same origin store', { origin: app.url });
    await admin.goto(`${app.url}/stores`);
    await admin.getByText('Same origin store').first().waitFor();
    expect(await admin.getByText('No origin store').count()).toBe(0);
    await context.close();
  });
});
