/**
 * The Alerts page: an admin adds a signed webhook channel, sends a test alert to a local HTTPS
 * receiver, and finds it in the history; the webhook URL never comes back to the browser.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsPorts } from '@/tests/support/allow-https';
import { startWebhookServer, type WebhookServer } from '@/tests/support/webhook-server';
import { runScript } from '@/tests/support/run-script';
import { openConsole, recordResponses, signIn, type SignedInConsole } from '@/tests/e2e/support/session';

const SIGNING_SECRET = 'e2e signing secret 0123456789';
const HOOK_PATH = '/hooks/T0123/very-secret-path';
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1' };

let hooks: WebhookServer;
let c: SignedInConsole;

beforeAll(async () => {
  hooks = await startWebhookServer();
  c = await openConsole({ NODE_EXTRA_CA_CERTS: hooks.caFile, HTTP_ALLOWED_PORTS: httpsPorts(hooks.origin) });
});
afterAll(async () => {
  await c?.close();
  await hooks?.close();
});

describe('Alerts', () => {
  it('configures a webhook channel, sends a test alert, and shows it in the history', async () => {
    const { page } = c;
    const responses = recordResponses(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();

    const form = page.getByRole('form', { name: 'Add a channel' });
    await form.getByLabel('Kind').selectOption('webhook');
    await form.getByLabel('Name').fill('Monitoring');
    await form.getByLabel('Webhook URL').fill(`${hooks.origin}${HOOK_PATH}`);
    await form.getByLabel('Signing secret').fill('too short');
    await form.getByRole('button', { name: 'Add channel' }).click();
    await expect
      .poll(() => page.locator('#channel-signing-secret-error').textContent(), { timeout: 10_000 })
      .toContain('at least 16 characters');
    expect(await page.getByTestId('alert-channel').count()).toBe(0);

    await form.getByLabel('Signing secret').fill(SIGNING_SECRET);
    await form.getByRole('button', { name: 'Add channel' }).click();
    await page.getByText('Added the channel “Monitoring”.').waitFor();
    const row = page.getByTestId('alert-channel').filter({ hasText: 'Monitoring' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${new URL(hooks.origin).host} (URL stored encrypted)`);

    await row.getByRole('button', { name: 'Send test alert' }).click();
    await page.getByTestId('channel-message').filter({ hasText: 'Delivered to' }).waitFor();
    expect(hooks.received).toHaveLength(1);
    const [got] = hooks.received;
    expect(got.path).toBe(HOOK_PATH);
    const timestamp = String(got.headers['x-mailroom-timestamp']);
    expect(got.headers['x-mailroom-signature']).toBe(
      `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`,
    );

    const recent = page.getByTestId('alert-history-row').filter({ hasText: 'Monitoring' });
    await recent.waitFor();
    expect(await recent.textContent()).toMatch(/Test.*Test alert from Mailroom.*Monitoring.*Sent/);

    await page.getByRole('link', { name: 'Full history' }).click();
    await page.getByRole('heading', { name: 'Alert history' }).waitFor();
    expect(await page.getByTestId('alert-history-row').count()).toBe(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByText('Sent a test alert').waitFor();

    await responses.done();
    expect(responses.bodies.some((b) => b.includes('very-secret-path'))).toBe(false);
    expect(responses.bodies.some((b) => b.includes(SIGNING_SECRET))).toBe(false);
  });

  it('shows viewers the channels and history, read-only', async () => {
    const made = await runScript(
      'admin',
      ['create', '--email', VIEWER.email, '--password', VIEWER.password, '--role', 'viewer'],
      {
        ...process.env,
        DATA_DIR: c.app.dataDir,
        DATABASE_URL: c.app.databaseUrl,
      },
    );
    expect(made.code, made.out).toBe(0);
    const context = await c.browser.newContext();
    const viewer = await context.newPage();
    await signIn(viewer, c.app.url, VIEWER);
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await viewer.getByTestId('alert-channel').filter({ hasText: 'Monitoring' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Send test alert' }).count()).toBe(0);
    expect(await viewer.getByRole('form', { name: 'Add a channel' }).count()).toBe(0);
    expect(await viewer.getByLabel('Repeat every (minutes)').isDisabled()).toBe(true);
    expect(await viewer.getByRole('button', { name: 'Save alert settings' }).count()).toBe(0);
    expect(await viewer.getByTestId('alert-history-row').count()).toBe(1);
    await context.close();
  });
});
