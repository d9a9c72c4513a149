import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import type { RunningApp } from '@/tests/e2e/support/app';
import {
  addUser,
  createStore,
  openConsole,
  saveLocalSmtpSettings,
  signIn,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SMTP_USER = 'helpdesk@contoso.example';
const SMTP_PASSWORD = 'Queue-e2e-Passw0rd';
const BUSY = { code: 432, text: '4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending' };
const SUBJECT = 'Your password expires in 3 days';

let peer: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;
let key = '';
let messageUrl = '';
let notificationsUrl = '';

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [SMTP_USER]: SMTP_PASSWORD }, queueId: 'QUEUEE2E' });
  // Retries wait ten minutes here: the message only goes out again during the test because of Retry now.
  ui = await openConsole({ SMTP_ALLOWED_PORTS: `587,${peer.port}`, OUTBOX_RETRY_BASE_SECONDS: '600', LOG_LEVEL: 'info' });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
});

/** Reloads `p` until a state badge says `state` (the worker runs beside the console, not in step with the page). */
async function reloadUntil(p: Page, state: string) {
  for (let i = 0; i < 40; i++) {
    if ((await p.getByTestId('queue-state').filter({ hasText: state }).count()) > 0) return;
    await new Promise((r) => setTimeout(r, 500));
    await p.reload();
  }
  throw new Error(`no message became ${state} on ${p.url()}`);
}

describe('The Queue', () => {
  it('an admin sets the delivery limits, with errors at the field', async () => {
    await createStore(page, app.url, 'Contoso AD');
    notificationsUrl = page.url();
    await saveLocalSmtpSettings(page, {
      port: peer.port,
      user: SMTP_USER,
      password: SMTP_PASSWORD,
      to: 'servicedesk@contoso.example',
    });

    const limits = page.getByRole('form', { name: 'Delivery limits' });
    expect(await page.getByText('Empty: no limit for this server.').count()).toBe(1);
    await limits.getByLabel('Messages per minute').fill('0');
    await limits.getByLabel('Attempts per message').fill('many');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Messages per minute must be between 1 and 10,000.').waitFor();
    await page.getByText('Attempts: enter a whole number.').waitFor();
    expect(await limits.getByLabel('Messages per minute').getAttribute('aria-invalid')).toBe('true');

    await limits.getByLabel('Messages per minute').fill('120');
    await limits.getByLabel('Attempts per message').fill('6');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Delivery limits saved').waitFor();
    await page.reload();
    // The form fills its inputs once hydrated: wait for the saved values rather than read the server HTML.
    await expect.poll(() => page.getByLabel('Messages per minute').inputValue()).toBe('120');
    await expect.poll(() => page.getByLabel('Attempts per message').inputValue()).toBe('6');
  });

  it('a message the server refuses waits as retrying with the advice; once the server is fixed, Retry now sends it', async () => {
    await page.getByRole('link', { name: 'API access' }).click();
    await page.getByLabel('Key name').fill('Helpdesk');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByTestId('new-api-key').waitFor();
    key = await page.getByLabel('API key', { exact: true }).inputValue();

    peer.behave({ dataReply: BUSY });
    const res = await fetch(`${app.url}/api/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: SUBJECT, text: 'Please change it at https://password.contoso.example.' }),
    });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: string; statusUrl: string };
    expect(res.headers.get('location')).toBe(queued.statusUrl);

    await page.getByRole('link', { name: 'Queue', exact: true }).first().click();
    await page.waitForURL(/\/queue$/);
    const row = page.getByTestId('queue-row').filter({ hasText: SUBJECT });
    await row.waitFor();
    await reloadUntil(page, 'Retrying');
    expect(await row.getByTestId('queue-state').textContent()).toBe('Retrying');
    expect(await row.textContent()).toContain('Microsoft 365 allows only 3 connections per mailbox at once');

    await row.getByRole('link', { name: SUBJECT }).click();
    await page.waitForURL(new RegExp(`/queue/${queued.id}$`));
    messageUrl = page.url();
    const attempt = page.getByTestId('attempt-row').first();
    expect(await attempt.textContent()).toContain('432 4.3.2 Concurrent connections limit exceeded');
    expect(await attempt.getByTestId('advice').textContent()).toContain('Microsoft 365 allows only 3 connections per mailbox');
    expect(await page.getByText('servicedesk@contoso.example').count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain('password.contoso.example');

    peer.behave({ dataReply: undefined });
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('The message is being sent again now.').waitFor();
    await reloadUntil(page, 'Sent');
    expect(peer.messages.filter((m) => m.headers.subject === SUBJECT)).toHaveLength(1);
    expect(await page.getByTestId('attempt-row').count()).toBe(2);

    await page.getByRole('button', { name: 'Show body' }).click();
    expect(await page.getByTestId('message-body').textContent()).toContain('https://password.contoso.example.');

    const status = await fetch(queued.statusUrl, { headers: { authorization: `Bearer ${key}` } });
    expect(await status.json()).toMatchObject({ status: 'sent', attempts: [{ outcome: 'temporary' }, { outcome: 'sent' }] });

    await page.goto(`${app.url}/activity`);
    await page.getByText('Retried a queued message').waitFor();
    await page.getByText('Read a queued message’s body').waitFor();
    await page.getByText('Changed delivery limits').waitFor();
  });

  it('a viewer sees the queue and the message, and cannot act or read the body', async () => {
    await addUser(page, app.url, { email: 'viewer@example.com', password: 'viewer password 1', role: 'viewer' });

    const viewerCtx = await ui.browser.newContext();
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, app.url, { email: 'viewer@example.com', password: 'viewer password 1' });
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewer.goto(`${app.url}/queue`);
    await viewer.getByTestId('queue-row').filter({ hasText: SUBJECT }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Retry all failed' }).count()).toBe(0);
    await viewer.goto(messageUrl);
    await viewer.getByText('Only admins can retry, cancel or delete messages.').waitFor();
    for (const name of ['Retry now', 'Cancel', 'Delete', 'Show body'])
      expect(await viewer.getByRole('button', { name }).count()).toBe(0);
    expect(await viewer.content()).not.toContain('password.contoso.example');
    await viewer.goto(notificationsUrl);
    expect(await viewer.getByLabel('Messages per minute').isDisabled()).toBe(true);
    expect(await viewer.getByRole('button', { name: 'Save limits' }).count()).toBe(0);
    await viewerCtx.close();
  });
});
