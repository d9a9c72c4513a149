import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_CLIENT } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { closedPort, startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
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
/** Allowed by the destination policy, but nothing listens there: a provider that cannot be reached. */
let deadPort: number;

beforeAll(async () => {
  const port = await freePort();
  const redirectUris = [`http://127.0.0.1:${port}/api/oauth/callback`];
  oauth = await startOAuthServer({
    clients: { [MS_CLIENT]: { secret: SECRET, redirectUris }, [GENERIC_CLIENT]: { secret: GENERIC_SECRET, redirectUris } },
  });
  peer = await startSmtpPeer({ validateToken: (user, token) => oauth.isValidAccessToken(user, token) });
  deadPort = await closedPort();
  // The local OAuth server's certificate is self-signed; the browser is told to accept it.
  ui = await openConsole(
    {
      SMTP_ALLOWED_PORTS: `587,${peer.port}`,
      HTTP_ALLOWED_PORTS: `${httpsPorts(oauth.origin)},${deadPort}`,
      ...childTrustEnv(oauth.caFile),
    },
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
    await page.waitForURL(/\/notifications\?oauth=connected#oauth-connection$/);
    const banner = page.getByText(`Connected as ${MAILBOX}.`);
    await banner.waitFor();
    // Back at the connection card, its banner on screen, not at the top of the page (once the form's code is in).
    await expect.poll(() => page.evaluate(() => window.scrollY), { timeout: 5_000 }).toBeGreaterThan(300);
    expect(await inViewport(banner)).toBe(true);
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

  it('a declined consent comes back to the card with its AADSTS advice, once, and keeps the existing connection', async () => {
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.waitForURL((u) => u.origin === oauth.origin);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/notifications\?oauth=failed#oauth-connection$/);
    const banner = page.getByText('The sign-in did not complete');
    await banner.waitFor();
    await expect.poll(() => inViewport(banner), { timeout: 5_000 }).toBe(true);
    const card = (await page.getByTestId('oauth-connection').textContent()) ?? '';
    expect(card).toContain('Consent was declined on the sign-in page');
    expect(card).toContain('User declined to consent to access the app.');
    expect(card.split('AADSTS65004').length - 1).toBe(1);
    expect(await page.getByTestId('oauth-status').textContent()).toBe('Connected');

    // Replaying a callback (state already spent) is refused without a token request.
    const before = oauth.counters.tokenRequests;
    await page.goto(`${app.url}/api/oauth/callback?code=replayed&state=not-a-live-state`);
    await page.waitForURL(/\/stores\?oauth=state_unknown$/);
    await page.getByText('OAuth sign-in refused').waitFor();
    expect(oauth.counters.tokenRequests).toBe(before);
  });
});

describe('a provider that cannot be reached', () => {
  it('Connect stays in the console and says so, instead of sending the browser to a dead address', async () => {
    await createStore(page, app.url, 'Unreachable tenant');
    await fillLocalStarttls(page, peer.port, MAILBOX);
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /OAuth 2\.0/ }).click();
    await page.getByLabel('Tenant (directory) ID').fill(TENANT);
    await page.getByLabel('Token Endpoint', { exact: true }).fill(`https://127.0.0.1:${deadPort}/${TENANT}/oauth2/v2.0/token`);
    await page.getByLabel('Client ID', { exact: true }).fill(MS_CLIENT);
    await page.getByLabel('Client Secret', { exact: true }).fill(SECRET);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    const consoleUrl = page.url();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // In the action's message, and once the page has refreshed in the card's last error too: either will do.
    await page
      .getByTestId('oauth-connection')
      .getByText(`The authorization endpoint 127.0.0.1:${deadPort} could not be reached (ECONNREFUSED).`)
      .first()
      .waitFor();
    expect(await page.getByTestId('oauth-connection').textContent()).toContain("The provider's sign-in page cannot be reached");
    expect(page.url()).toBe(consoleUrl);
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
    await page.getByText(/is not allowed: Port \d+ is not allowed \(allowed: 443(, \d+)+; set by HTTP_ALLOWED_PORTS\)/).waitFor();
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

    const userinfo = page.getByLabel('Userinfo endpoint');
    expect(await userinfo.inputValue()).toBe(oauth.generic.userinfoEndpoint);

    // A provider whose ID token names only `sub`: first as if its userinfo endpoint were unknown.
    oauth.idTokenSubOnly = true;
    await userinfo.fill('');
    await page.getByLabel('Client ID', { exact: true }).fill(GENERIC_CLIENT);
    await page.getByLabel('Client Secret', { exact: true }).fill(GENERIC_SECRET);
    await page.getByLabel('Scope', { exact: true }).fill('openid email smtp.send');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    await signInAtProvider();
    await page.getByText('Connected, but the signed-in account is unknown').waitFor();
    expect(await page.getByTestId('oauth-account').textContent()).toBe('—');

    // Test Server refuses to send XOAUTH2 for nobody, and says so at the field.
    const sends = peer.messages.length;
    await page.getByRole('button', { name: 'Test Server' }).click();
    await page
      .getByRole('dialog', { name: 'Test Notification' })
      .getByRole('button', { name: /^Send test/ })
      .click();
    const loginUser = page.getByLabel('SMTP login user');
    await page.getByText(/The SMTP login user is empty/).waitFor();
    expect(await loginUser.getAttribute('aria-invalid')).toBe('true');
    // Focus moves once the message is on screen (focusFirstInvalid runs after the render): wait for it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5_000 }).toBe('auth-oauth-loginUser');
    expect(peer.messages.length).toBe(sends);

    // With the userinfo endpoint the account is learned on the next Connect.
    await userinfo.fill(oauth.generic.userinfoEndpoint);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    await signInAtProvider('Reconnect');
    await page.getByText(`Connected as ${GENERIC_USER}.`).waitFor();
    expect(await page.getByLabel('SMTP login user').inputValue()).toBe(GENERIC_USER);
    oauth.idTokenSubOnly = false;

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

/** Connect (or Reconnect) → the local provider's sign-in page as GENERIC_USER → back on the console. */
async function signInAtProvider(button: 'Connect' | 'Reconnect' = 'Connect'): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL((u) => u.origin === oauth.origin);
  await page.getByLabel('Username').fill(GENERIC_USER);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/notifications\?oauth=connected#oauth-connection$/);
}

/** Whether the element's box lies within the window (what the admin sees without scrolling). */
function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}
