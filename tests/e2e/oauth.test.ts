import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_CLIENT } from '../support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '../support/oauth-server';
import { startSmtpPeer, type Peer } from '../support/smtp-peer';
import { childTrustEnv } from '../support/trust-test-ca';
import { freePort, startApp, type RunningApp } from './support/app';
import { launchBrowser } from './support/browser';
import { recordResponses, setupAdmin } from './support/session';

const SECRET = 'e2e-client-secret-value';
const TENANT = 'contoso.onmicrosoft.com';
const MAILBOX = 'helpdesk@contoso.example';

let oauth: OAuthTestServer;
let peer: Peer;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const port = await freePort();
  oauth = await startOAuthServer({ clients: { [MS_CLIENT]: { secret: SECRET, redirectUris: [`http://127.0.0.1:${port}/api/oauth/callback`] } } });
  peer = await startSmtpPeer({ validateToken: (user, token) => oauth.isValidAccessToken(user, token) });
  [app, browser] = await Promise.all([
    startApp({ SMTP_ALLOWED_PORTS: `587,${peer.port}`, ...childTrustEnv(oauth.caFile) }, port),
    launchBrowser(),
  ]);
  // The local OAuth server's certificate is self-signed; the browser is told to accept it.
  ({ context, page } = await setupAdmin(browser, app.url, { ignoreHTTPSErrors: true }));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
  await peer?.close();
  await oauth?.close();
});

describe('OAuth 2.0 with Microsoft Entra ID (local authority)', () => {
  it('fills the OAuth tile, connects through the consent page, and Test Server sends with XOAUTH2', async () => {
    const responses = recordResponses(page);
    await page.goto(`${app.url}/stores`);
    await page.getByLabel('Name').fill('Contoso Entra');
    await page.getByRole('button', { name: 'Create identity store' }).click();
    await page.waitForURL(/\/notifications$/);

    await page.getByLabel('SMTP Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Security mode').selectOption('starttls');
    await page.getByLabel('Port', { exact: true }).fill(String(peer.port));
    await page.getByLabel('Allow self-signed certificate').check();
    await page.getByLabel('From email address').fill(MAILBOX);
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /OAuth 2\.0/ }).click();
    await page.getByLabel('Tenant (directory) ID').fill(TENANT);
    await page.getByLabel('Token Endpoint', { exact: true }).fill(oauth.entra(TENANT).tokenEndpoint);
    await page.getByLabel('Client ID', { exact: true }).fill(MS_CLIENT);
    await page.getByLabel('Client Secret', { exact: true }).fill(SECRET);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    expect(await page.getByTestId('oauth-status').textContent()).toBe('Not connected');

    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((u) => u.origin === oauth.origin);
    await page.getByLabel('Username').fill(MAILBOX);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/notifications\?oauth=connected$/);
    await page.getByText(`Connected as ${MAILBOX}.`).waitFor();
    expect(await page.getByTestId('oauth-status').textContent()).toBe('Connected');
    expect(await page.getByTestId('oauth-account').textContent()).toBe(MAILBOX);
    expect(await page.getByLabel('SMTP login user').inputValue()).toBe(MAILBOX);

    await page.getByRole('button', { name: 'Test Server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test Notification' });
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.getByText('Test email sent').waitFor();
    expect(peer.messages.at(-1)?.user).toBe(MAILBOX);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await responses.done();
    expect(responses.bodies.filter((b) => b.includes(SECRET))).toEqual([]);
  });

  it('a cancelled consent comes back as an explained error and keeps the existing connection', async () => {
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.waitForURL((u) => u.origin === oauth.origin);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/notifications\?oauth=failed$/);
    await page.getByText('The sign-in did not complete').waitFor();
    expect(await page.getByTestId('oauth-connection').textContent()).toContain('access_denied');
    expect(await page.getByTestId('oauth-status').textContent()).toBe('Connected');

    // Replaying a callback (state already spent) is refused without a token request.
    const before = oauth.counters.tokenRequests;
    await page.goto(`${app.url}/api/oauth/callback?code=replayed&state=not-a-live-state`);
    await page.waitForURL(/\/stores\?oauth=state_unknown$/);
    await page.getByText('OAuth sign-in refused').waitFor();
    expect(oauth.counters.tokenRequests).toBe(before);
  });
});
