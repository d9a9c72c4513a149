import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWords } from '@/tests/support/mime';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
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
  ui = await openConsole({ SMTP_ALLOWED_PORTS: `587,${peer.port}` });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
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
    await createStore(page, app.url, 'Contoso AD');
    storeUrl = page.url();

    await fillLocalStarttls(page, peer.port, SMTP_USER);
    await page.getByLabel('Display name').fill('Contoso Helpdesk');
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByLabel('SMTP username').fill(SMTP_USER);
    await page.getByLabel('SMTP password').fill(SMTP_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

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
    expect(peer.messages).toHaveLength(1);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
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
    expect(await page.getByText('1 sent · 1 failed').count()).toBe(1);
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
});
