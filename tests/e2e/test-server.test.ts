import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWords } from '@/tests/support/mime';
import { startRawPeer, startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import type { RunningApp } from '@/tests/e2e/support/app';
import {
  ADMIN,
  createStore,
  fillLocalStarttls,
  openConsole,
  recordResponses,
  sendTestEmail,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SMTP_USER = 'helpdesk@contoso.example';
const SMTP_PASSWORD = 'Sm7p-Passw0rd-e2e';

let peer: Peer;
/** Accepts connections and never greets. */
let silent: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;
let storeUrl: string;

beforeAll(async () => {
  peer = await startSmtpPeer({
    users: { [SMTP_USER]: SMTP_PASSWORD },
    authFailure: { code: 535, text: '5.7.3 Authentication unsuccessful' },
    queueId: 'E2EQ42',
  });
  silent = await startRawPeer('silent');
  ui = await openConsole({ SMTP_ALLOWED_PORTS: `587,${peer.port},${silent.port}` });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
  await silent?.close();
});

/** Test Server to the address the dialog suggests, which is the signed-in admin's. */
async function runTest() {
  const { dialog, recipient } = await sendTestEmail(page);
  expect(recipient).toBe(ADMIN.email);
  return dialog;
}

describe('Test Server', () => {
  it('sends through a local STARTTLS server with Basic auth; the mail arrives', async () => {
    const responses = recordResponses(page);
    // No store yet: the Overview says how to start instead of "every store is set up".
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor();
    expect(await page.getByText(/every store is set up/).count()).toBe(0);
    await firstRun.getByRole('link', { name: 'Create your first store' }).click();
    await page.waitForURL(/\/stores$/);
    await createStore(page, app.url, 'Contoso AD');
    storeUrl = page.url();
    await page.getByText('Not saved yet: these are the defaults of a new store.').waitFor();
    expect(await page.getByText(/^Last saved/).count()).toBe(0);

    // Nothing saved yet: the required fields are marked and Test Server says why it cannot run.
    for (const label of ['SMTP Server', 'Port', 'From email address'])
      expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-required')).toBe('true');
    expect(await page.getByLabel('Display name').getAttribute('aria-required')).toBeNull();
    const testButton = page.getByRole('button', { name: 'Test Server' });
    expect(await testButton.isDisabled()).toBe(true);
    expect(await page.locator('#test-server-blocked').textContent()).toBe(
      'Save an SMTP server and a From email address first: Test Server uses the saved settings.',
    );

    await fillLocalStarttls(page, peer.port, SMTP_USER);
    await page.getByLabel('Display name').fill('Contoso Helpdesk');
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByLabel('SMTP username').fill(SMTP_USER);
    await page.getByLabel('SMTP password').fill(SMTP_PASSWORD);
    // Typed but not saved yet: still nothing to test.
    expect(await testButton.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    expect(await testButton.isDisabled()).toBe(false);
    expect(await page.locator('#test-server-blocked').count()).toBe(0);

    const dialog = await runTest();
    await dialog.getByText('Test email sent').waitFor();
    expect(await dialog.getByTestId('test-result').textContent()).toContain('queue id E2EQ42');
    expect(await dialog.locator('[data-step][data-status="ok"]').count()).toBe(9);

    expect(peer.messages).toHaveLength(1);
    expect(peer.messages[0].user).toBe(SMTP_USER);
    expect(peer.messages[0].to).toEqual([ADMIN.email]);
    expect(decodeWords(peer.messages[0].headers.subject)).toBe('Mailroom test — Contoso AD');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await responses.done();
    expect(responses.bodies.filter((b) => b.includes(SMTP_PASSWORD))).toEqual([]);
  });

  it('with unsaved changes the dialog offers Save and test as its primary action (Enter), and still sends the saved settings on request', async () => {
    expect(await page.getByText('Notification settings saved.').count()).toBe(1);
    await page.getByLabel('Display name').fill('Contoso Service Desk');
    // "Saved" is not shown beside "unsaved changes".
    await page.getByText('You have unsaved changes.').waitFor();
    expect(await page.getByText('Notification settings saved.').count()).toBe(0);
    await page.getByRole('button', { name: 'Test Server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Notification' });
    await dialog.getByText('You have unsaved changes').waitFor();
    const buttons = await dialog.getByRole('button').allTextContents();
    expect(buttons.slice(-2)).toEqual(['Send test with saved settings', 'Save and test']);
    expect(await dialog.getByRole('button', { name: 'Save and test' }).getAttribute('type')).toBe('submit');
    expect(await dialog.getByRole('button', { name: 'OK' }).count()).toBe(0);

    await dialog.getByLabel('Send the test email to').press('Enter');
    await dialog.getByText('Test email sent').waitFor();
    await page.getByText('Notification settings saved.').waitFor();
    expect(peer.messages).toHaveLength(2);
    expect(peer.messages[1].headers.from).toContain('Contoso Service Desk');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('a wrong password saved and tested shows the failed step and the 535 advice', async () => {
    await page.goto(storeUrl);
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.getByLabel('SMTP password').fill('not-the-password');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    const dialog = await runTest();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Failed at Authenticate' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('535 5.7.3');
    expect(await alert.textContent()).toContain('rejected the username or password');
    expect(await dialog.locator('[data-step="auth"]').getAttribute('data-status')).toBe('failed');
    await dialog.getByText(/SMTP transcript/).click();
    const transcript = await dialog.getByTestId('transcript').textContent();
    expect(transcript).toMatch(/AUTH (PLAIN|LOGIN) \*\*\*\*/);
    expect(transcript).not.toContain('not-the-password');
    expect(peer.messages).toHaveLength(2);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('Failed at Authenticate');
    expect(await rows.nth(1).textContent()).toContain('Delivered');
    const show = page.getByRole('navigation', { name: 'Show' });
    await show.getByRole('link', { name: 'Failed' }).click();
    await page.waitForURL(/\?show=failed$/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.nth(0).textContent()).toContain('Failed at Authenticate');
    await show.getByRole('link', { name: 'Notifications' }).click();
    await page.getByText('No notifications sent through the API yet.').waitFor();

    await page.getByRole('link', { name: 'Overview' }).click();
    const item = page
      .getByTestId('attention')
      .getByRole('listitem')
      .filter({ hasText: 'Contoso AD: Last test failed at Authenticate' });
    await item.waitFor();
    expect(await item.textContent()).toContain('535 5.7.3 Authentication unsuccessful');
    expect(await page.getByText('2 sent · 1 failed').count()).toBe(1);
  });

  it('the JSON endpoint returns the same structured result and refuses cross-site requests', async () => {
    const storeId = new URL(storeUrl).pathname.split('/')[2];
    const endpoint = `${app.url}/api/stores/${storeId}/test`;
    const res = await page.request.post(endpoint, { data: { to: 'ops@contoso.example' }, headers: { origin: app.url } });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { ok: boolean; failedStep: string; advice: { id: string } };
    expect(body).toMatchObject({ ok: false, failedStep: 'auth', advice: { id: 'ms-535-5.7.3-basic' } });
    const sent = peer.messages.length;

    const foreign = await page.request.post(endpoint, {
      data: { to: 'ops@contoso.example' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status()).toBe(403);
    // Neither an Origin nor Sec-Fetch-Site: same-origin — not shown to come from the console.
    const unproven = await page.request.post(endpoint, { data: { to: 'ops@contoso.example' } });
    expect(unproven.status()).toBe(403);
    expect(((await unproven.json()) as { error: { message: string } }).error.message).toContain(`"Origin: ${app.url}"`);
    const sameOrigin = await page.request.post(endpoint, {
      data: { to: 'ops@contoso.example' },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status()).toBe(200);
    // A cross-site form can post text/plain without a preflight: a JSON endpoint refuses it.
    const plain = await page.request.post(endpoint, {
      data: '{"to":"ops@contoso.example"}',
      headers: { origin: app.url, 'content-type': 'text/plain' },
    });
    expect(plain.status()).toBe(415);
    expect(peer.messages.length).toBe(sent);

    const anonymous = await fetch(endpoint, {
      method: 'POST',
      headers: { origin: app.url, 'content-type': 'application/json' },
      body: '{"to":"a@b.example"}',
    });
    expect(anonymous.status).toBe(401);
  });

  it('one TLS control; the advice quotes its option and offers the setting as a button', async () => {
    await page.goto(storeUrl);
    expect(await page.getByLabel('SSL enabled').count()).toBe(0);
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.getByLabel('SMTP password').fill(SMTP_PASSWORD);
    await page.getByLabel('Security mode').selectOption('tls');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    const { dialog } = await sendTestEmail(page);
    const alert = dialog.getByRole('alert').filter({ hasText: 'This port does not speak TLS from the start' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Set Security mode to "STARTTLS required"');
    await dialog.getByRole('button', { name: 'Switch to STARTTLS required' }).click();
    expect(await page.getByLabel('Security mode').inputValue()).toBe('starttls');
    await dialog.getByRole('button', { name: 'Save and test' }).click();
    await dialog.getByText('Test email sent').waitFor();
    expect(await page.getByLabel('Security mode').inputValue()).toBe('starttls');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('layout: the delivery log fits 1280 px, 390 px does not scroll sideways, focus clears the save bar, the dark backdrop dims', async () => {
    await page.goto(storeUrl.replace(/notifications$/, 'delivery-log'));
    const table = page.locator('table');
    expect(await table.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0))).toBe(true);

    // A field partly under the sticky save bar is scrolled clear of it when focused.
    await page.goto(storeUrl);
    const portal = page.getByLabel('CC', { exact: true });
    await portal.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight + 40));
    await portal.focus();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('recipients-cc');
    const bar = page.locator('[data-sticky-save]');
    await expect
      .poll(async () => (await portal.boundingBox())!.y + (await portal.boundingBox())!.height - (await bar.boundingBox())!.y)
      .toBeLessThanOrEqual(0);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Test Server' }).click();
    const backdropAlpha = await page
      .getByRole('dialog', { name: 'Test Notification' })
      .evaluate((d) => Number(/rgba?\([^)]*,\s*([\d.]+)\)$/.exec(getComputedStyle(d, '::backdrop').backgroundColor)?.[1] ?? 1));
    expect(backdropAlpha).toBeGreaterThanOrEqual(0.6);
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.reload();
      const wide = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        win: window.innerWidth,
        culprits: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8)
          .map((e) => `${e.tagName} ${e.getAttribute('class') ?? ''}`.slice(0, 140)),
      }));
      expect(wide.doc, wide.culprits.join('\n')).toBeLessThanOrEqual(wide.win);
      const boxes = await page
        .locator('input[type="checkbox"]')
        .evaluateAll((els) =>
          els.filter((e) => e.getClientRects().length).map((e) => Math.round(e.getBoundingClientRect().width)),
        );
      expect(new Set(boxes).size).toBe(1);
      const tabs = page.getByRole('navigation', { name: 'Store settings' });
      await tabs.getByRole('link', { name: 'General' }).click();
      await page.waitForURL(/\/general$/);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  it('the API tab always shows a curl example; Account is in the menu; the favicon and logo are served', async () => {
    await page.goto(storeUrl.replace(/notifications$/, 'api'));
    expect(await page.getByTestId('curl-example').textContent()).toContain('-H "Authorization: Bearer mr_YOUR_API_KEY"');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.waitForURL(/\/account$/);
    for (const [path, type] of [
      ['/favicon.ico', 'image/x-icon'],
      ['/logo.svg', 'image/svg+xml'],
    ]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
    }
  });

  it('while the server has not answered, the connect step counts down to its timeout', async () => {
    await page.goto(storeUrl);
    await page.getByLabel('Use SMTP user authentication').uncheck();
    await page.getByLabel('Port', { exact: true }).fill(String(silent.port));
    await page.getByText('Advanced: EHLO name and timeouts').click();
    await page.getByLabel('Connection timeout (seconds)').fill('2');
    await page.getByLabel('Greeting timeout (seconds)').fill('4');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    await page.getByRole('button', { name: 'Test Server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Notification' });
    await dialog.getByRole('button', { name: 'Send test', exact: true }).click();
    const countdown = dialog.getByTestId('connect-countdown');
    await countdown.waitFor();
    expect(await countdown.textContent()).toMatch(/^Waiting for the server to answer; gives up in [1-6] s\.$/);
    await dialog.getByTestId('test-result').waitFor();
    expect(await countdown.count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('the Activity page reads in sentences, and filters by store, actor, kind and failure', async () => {
    await page.goto(`${app.url}/activity`);
    const rows = page.getByTestId('activity-row');
    await rows.first().waitFor();
    const all = (await rows.allTextContents()).join('\n');
    expect(all).toContain('Sent a test email through Contoso AD to admin@example.com: failed at Authenticate (535 5.7.3).');
    expect(all).toMatch(/Saved the notification settings of Contoso AD: changed the /);
    expect(all).toContain('this server');
    expect(all).not.toMatch(/cleared_destination_changed|notifications\.test|::1|127\.0\.0\.1|\/stores\//);

    await page.getByLabel('Store').selectOption('Contoso AD');
    await page.getByLabel('Who').selectOption(ADMIN.email);
    await page.getByLabel('Kind').selectOption('notifications.test');
    await page.getByLabel('Failed only').check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/failed=1/);
    const failed = await rows.allTextContents();
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const r of failed) expect(r).toMatch(/Sent a test email through Contoso AD to .*: failed at /);
    expect(await page.getByLabel('Kind').inputValue()).toBe('notifications.test');
  });
});
