import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_CLIENT } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import { httpsPorts } from '@/tests/support/allow-https';
import { childTrustEnv } from '@/tests/support/trust-test-ca';
import { freePort, type RunningApp } from '@/tests/e2e/support/app';
import {
  createStore,
  fillLocalStarttls,
  openConsole,
  recordResponses,
  sendTestEmail,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SECRET = 'e2e-client-secret-value';
const TENANT = 'contoso.onmicrosoft.com';
const MAILBOX = 'helpdesk@contoso.example';
const GENERIC_CLIENT = 'mailroom-generic';
const GENERIC_SECRET = 'e2e-generic-secret-value';
const GENERIC_USER = 'notify@idp.example';

let oauth: OAuthTestServer;
let peer: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;

beforeAll(async () => {
  const port = await freePort();
  const redirectUris = [`http://127.0.0.1:${port}/api/oauth/callback`];
  oauth = await startOAuthServer({
    clients: { [MS_CLIENT]: { secret: SECRET, redirectUris }, [GENERIC_CLIENT]: { secret: GENERIC_SECRET, redirectUris } },
  });
  peer = await startSmtpPeer({ validateToken: (user, token) => oauth.isValidAccessToken(user, token) });
  // The local OAuth server's certificate is self-signed; the browser is told to accept it.
  ui = await openConsole(
    { SMTP_ALLOWED_PORTS: `587,${peer.port}`, HTTP_ALLOWED_PORTS: httpsPorts(oauth.origin), ...childTrustEnv(oauth.caFile) },
    { port, contextOptions: { ignoreHTTPSErrors: true } },
  );
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
  await oauth?.close();
});

describe('OAuth 2.0 with Microsoft Entra ID (local authority)', () => {
  it('fills the OAuth tile, connects through the consent page, and Test Server sends with XOAUTH2', async () => {
    const responses = recordResponses(page);
    await createStore(page, app.url, 'Contoso Entra');

    await fillLocalStarttls(page, peer.port, MAILBOX);
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

    const { dialog } = await sendTestEmail(page);
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

describe('Generic OAuth 2.0 / OIDC with issuer discovery', () => {
  it('discovers the endpoints from the issuer, connects, keeps the issuer, and sends with XOAUTH2', async () => {
    const responses = recordResponses(page);
    await createStore(page, app.url, 'Generic IdP');

    await fillLocalStarttls(page, peer.port, GENERIC_USER);
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /OAuth 2\.0/ }).click();
    await page.getByLabel('Provider', { exact: true }).selectOption('generic');

    const issuer = page.getByLabel('Issuer (OpenID Connect discovery)');
    const discover = page.getByRole('button', { name: 'Discover endpoints' });
    // Another loopback service (the console itself): not on an allowed HTTPS port, so no request is made.
    const requests = oauth.requests.length;
    await issuer.fill(`https://127.0.0.1:${new URL(app.url).port}/`);
    await discover.click();
    await page.getByText(/is not allowed: Port \d+ is not allowed \(allowed: 443, \d+; set by HTTP_ALLOWED_PORTS\)/).waitFor();
    expect(oauth.requests.length).toBe(requests);
    await issuer.fill(`${oauth.origin}/realms/none`);
    await discover.click();
    await page.getByText(/publishes no discovery document/).waitFor();
    expect(await issuer.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Token Endpoint', { exact: true }).inputValue()).toBe('');

    await issuer.fill(`${oauth.origin}/`);
    await discover.click();
    await page.getByTestId('issuer-discovered').getByText(`Endpoints filled in from ${oauth.generic.issuer}.`).waitFor();
    expect(await page.getByTestId('issuer-discovered').textContent()).toContain(
      'Scopes offered: openid profile email offline_access',
    );
    expect(await issuer.inputValue()).toBe(oauth.generic.issuer);
    expect(await page.getByLabel('Authorization endpoint').inputValue()).toBe(oauth.generic.authorizationEndpoint);
    expect(await page.getByLabel('Token Endpoint', { exact: true }).inputValue()).toBe(oauth.generic.tokenEndpoint);

    await page.getByLabel('Client ID', { exact: true }).fill(GENERIC_CLIENT);
    await page.getByLabel('Client Secret', { exact: true }).fill(GENERIC_SECRET);
    await page.getByLabel('Scope', { exact: true }).fill('openid email smtp.send');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((u) => u.origin === oauth.origin);
    await page.getByLabel('Username').fill(GENERIC_USER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/notifications\?oauth=connected$/);
    await page.getByText(`Connected as ${GENERIC_USER}.`).waitFor();

    await page.reload();
    expect(await page.getByLabel('Issuer (OpenID Connect discovery)').inputValue()).toBe(oauth.generic.issuer);
    const { dialog } = await sendTestEmail(page);
    await dialog.getByText('Test email sent').waitFor();
    expect(peer.messages.at(-1)?.user).toBe(GENERIC_USER);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await responses.done();
    expect(responses.bodies.filter((b) => b.includes(GENERIC_SECRET))).toEqual([]);
  });
});
