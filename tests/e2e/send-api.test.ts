import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWords } from '@/tests/support/mime';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import type { RunningApp } from '@/tests/e2e/support/app';
import {
  createStore,
  openConsole,
  recordResponses,
  saveLocalSmtpSettings,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SMTP_USER = 'helpdesk@contoso.example';
const SMTP_PASSWORD = 'Api-e2e-Passw0rd';

let peer: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [SMTP_USER]: SMTP_PASSWORD }, queueId: 'APIE2E' });
  // Info-level logs, so the check below that no secret reaches them looks at real log lines.
  ui = await openConsole({ SMTP_ALLOWED_PORTS: `587,${peer.port}`, LOG_LEVEL: 'info' });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
});

/** As a system that wants the outcome: the message is queued and the answer waits for its delivery. */
const send = (key: string, body: object) =>
  fetch(`${app.url}/api/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', prefer: 'wait=30' },
    body: JSON.stringify(body),
  });

describe('Sending notifications through the API', () => {
  it('an admin creates a key (shown once), a system sends with it, the Delivery log shows it, and revoking stops it', async () => {
    await createStore(page, app.url, 'Contoso AD');
    const notificationsUrl = page.url();
    // A store without settings: the API tab says sends would fail, and why.
    await page.getByRole('link', { name: 'API access' }).click();
    await page.getByText('Notifications sent with these keys will fail until this is fixed').waitFor();
    expect(await page.getByRole('link', { name: 'Not set up yet' }).count()).toBe(1);
    await page.goto(notificationsUrl);

    await saveLocalSmtpSettings(page, {
      port: peer.port,
      user: SMTP_USER,
      password: SMTP_PASSWORD,
      to: 'servicedesk@contoso.example',
    });

    await page.getByRole('link', { name: 'API access' }).click();
    await page.waitForURL(/\/api$/);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await page.getByText('Notifications sent with these keys will fail').count()).toBe(0);
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByText('Name the key after the system that will use it').waitFor();

    const responses = recordResponses(page);
    await page.getByLabel('Key name').fill('Helpdesk');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByTestId('new-api-key').waitFor();
    const key = await page.getByLabel('API key', { exact: true }).inputValue();
    expect(key).toMatch(/^mr_[\w-]{43}$/);
    expect(await page.getByTestId('new-api-key').textContent()).toContain(`Authorization: Bearer ${key}`);
    await responses.done();
    // At most the action's own answer carries the key (Chromium may not keep that streamed body); the refreshed page does not.
    expect(responses.bodies.filter((b) => b.includes(key)).length).toBeLessThanOrEqual(1);

    await page.reload();
    expect(await page.content()).not.toContain(key);
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Helpdesk' });
    expect(await row.textContent()).toContain(`${key.slice(0, 9)}…`);
    expect(await row.textContent()).toContain('Active');

    const res = await send(key, { subject: 'Password expires in 3 days', text: 'Please change your password.' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'sent', to: ['servicedesk@contoso.example'], queueId: 'APIE2E' });
    const mail = peer.messages.at(-1)!;
    expect(mail.to).toEqual(['servicedesk@contoso.example']);
    expect(decodeWords(mail.headers.subject)).toBe('Password expires in 3 days');

    await page.getByRole('link', { name: 'Delivery log' }).click();
    const logRow = page.getByRole('row').filter({ hasText: 'Password expires in 3 days' });
    await logRow.waitFor();
    expect(await logRow.textContent()).toContain('Notification');
    expect(await logRow.textContent()).toContain('API key “Helpdesk”');
    expect(await logRow.textContent()).toContain('Delivered');

    await page.getByRole('link', { name: 'API access' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke Helpdesk' }).click();
    await page.getByText('Revoked “Helpdesk”').waitFor();
    expect((await send(key, { subject: 'After revoke', text: 'x' })).status).toBe(401);

    const logs = app.logs();
    expect(logs).toMatch(/"transport":"smtp".*"msg":"send finished"/);
    expect(logs).toContain('"audit":"apikey.create"');
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(SMTP_PASSWORD);
  });
});
