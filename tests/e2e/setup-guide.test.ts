import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_CLIENT, MS_TENANT } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { httpsPorts } from '@/tests/support/allow-https';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import { childTrustEnv } from '@/tests/support/trust-test-ca';
import type { RunningApp } from '@/tests/e2e/support/app';
import {
  createStore,
  fillLocalStarttls,
  openConsole,
  recordResponses,
  sendTestEmail,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SECRET = 'Q_e8Q~guided-setup-secret.value';
const MAILBOX = 'helpdesk@contoso.example';
const RESULT = { tenantId: MS_TENANT, clientId: MS_CLIENT, clientSecret: SECRET, secretExpiresAt: '2027-05-28', sender: MAILBOX };

let oauth: OAuthTestServer;
let peer: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;
// Exchange answers 535 5.7.139 until SMTP AUTH is "enabled on the mailbox".
let smtpAuthEnabled = false;

beforeAll(async () => {
  oauth = await startOAuthServer({ clients: { [MS_CLIENT]: { secret: SECRET, appRoles: ['SMTP.SendAsApp'] } } });
  peer = await startSmtpPeer({
    validateToken: (user, token) => smtpAuthEnabled && oauth.isValidAccessToken(user, token),
    authFailure: {
      code: 535,
      text: '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.',
    },
  });
  ui = await openConsole(
    { SMTP_ALLOWED_PORTS: `587,${peer.port}`, HTTP_ALLOWED_PORTS: httpsPorts(oauth.origin), ...childTrustEnv(oauth.caFile) },
    { contextOptions: { ignoreHTTPSErrors: true, permissions: ['clipboard-read', 'clipboard-write'] } },
  );
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
  await oauth?.close();
});

const step = (id: string) => page.getByTestId(`setup-step-${id}`);
const stepState = (id: string) => step(id).getAttribute('data-state');
const waitForState = (id: string, state: string) =>
  page.locator(`[data-testid="setup-step-${id}"][data-state="${state}"]`).waitFor({ timeout: 20_000 });

describe('Guided Microsoft 365 setup', () => {
  it('app-only SMTP: steps with the store’s values, the script, paste-back, save, and a checklist checked live', async () => {
    const responses = recordResponses(page);
    await createStore(page, app.url, 'Contoso Helpdesk');
    await fillLocalStarttls(page, peer.port, MAILBOX);
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /OAuth 2\.0/ }).click();

    // The OAuth section starts with the provider side: the redirect URI comes before the fields to paste back.
    const redirect = page.getByLabel('Redirect URI', { exact: true });
    const tenantField = page.getByLabel('Tenant (directory) ID');
    const above = async (a: typeof redirect, b: typeof redirect) => (await a.boundingBox())!.y < (await b.boundingBox())!.y;
    expect(await above(redirect, tenantField)).toBe(true);

    await page.getByRole('button', { name: 'Open guided setup' }).click();
    await page.getByRole('radio', { name: /SMTP, app-only/ }).check();
    const redirectUri = `${app.url}/api/oauth/callback`;
    expect(await step('registration').textContent()).toContain(redirectUri);
    expect(await step('consent').textContent()).toContain('SMTP.SendAsApp');
    expect(await step('smtp-auth').textContent()).toContain(
      `Set-CASMailbox -Identity '${MAILBOX}' -SmtpClientAuthenticationDisabled $false`,
    );

    // The script, copied to the clipboard and downloaded, carries the store's values.
    await page.getByText(/^Do steps 1–\d+ with a script$/).click();
    await page.getByRole('button', { name: 'Copy script' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`$RedirectUri  = '${redirectUri}'`);
    expect(copied).toContain(`$Sender       = '${MAILBOX}'`);
    expect(copied).toContain("$AppName      = 'Mailroom – Contoso Helpdesk'");
    expect(copied).toContain("Get-Permission $Exchange 'SMTP.SendAsApp' 'Role'");
    expect(copied).toContain('New-ServicePrincipal -AppId $App.AppId -ObjectId $Sp.Id');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('mailroom-smtp-app.ps1');

    // A malformed paste is refused at the box; nothing changes.
    const box = page.getByLabel('Paste the result');
    await box.fill('{"tenantId": "72f9');
    await page.getByRole('button', { name: 'Fill in the form' }).click();
    await page.getByText(/The result is not valid JSON/).waitFor();
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Client ID', { exact: true }).inputValue()).toBe('');

    // The script's result fills the form, secret and expiry included; nothing is saved until Save.
    await box.fill(`Creating the app…\n${JSON.stringify(RESULT)}\n`);
    await page.getByRole('button', { name: 'Fill in the form' }).click();
    await page.getByText('Filled in — nothing is saved yet').waitFor();
    expect(await tenantField.inputValue()).toBe(MS_TENANT);
    expect(await page.getByLabel('Client ID', { exact: true }).inputValue()).toBe(MS_CLIENT);
    expect(await page.getByLabel('Grant type').inputValue()).toBe('client_credentials');
    expect(await page.getByLabel('Client Secret', { exact: true }).inputValue()).toBe(SECRET);
    expect(await page.getByLabel('Client secret expires on').inputValue()).toBe('2027-05-28');
    expect(await page.getByLabel('SMTP login user').inputValue()).toBe(MAILBOX);
    expect(await page.getByText('You have unsaved changes.').count()).toBe(1);

    // The local authority stands in for login.microsoftonline.com.
    await page.getByLabel('Token Endpoint', { exact: true }).fill(oauth.entra(MS_TENANT).tokenEndpoint);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    await waitForState('saved', 'ok');
    expect(await stepState('connect')).toBe('todo');

    // Connect fetches an app-only token: the checklist reads the granted permission from it.
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(`Connected: the app received a token to send as ${MAILBOX}.`).waitFor();
    await waitForState('consent', 'ok');
    expect(await page.getByTestId('setup-step-consent-status').textContent()).toBe('Granted: SMTP.SendAsApp.');
    expect(await stepState('registration')).toBe('ok');
    expect(await page.getByTestId('setup-step-secret-status').textContent()).toBe('The secret works; it expires on 2027-05-28.');
    expect(await stepState('smtp-auth')).toBe('todo');

    // Exchange refuses SMTP AUTH: the checklist marks that step with the exact command to run.
    let test = await sendTestEmail(page, 'it@contoso.example');
    await test.dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Check again' }).click();
    await waitForState('smtp-auth', 'failed');
    expect(await page.getByTestId('setup-step-smtp-auth-status').textContent()).toContain('535 5.7.139');
    expect(await step('smtp-auth').locator('pre').last().textContent()).toBe(
      `Set-CASMailbox -Identity '${MAILBOX}' -SmtpClientAuthenticationDisabled $false`,
    );
    expect(await stepState('send')).toBe('failed');

    // Once it is enabled, the test goes through and every step Mailroom can see turns green.
    smtpAuthEnabled = true;
    test = await sendTestEmail(page, 'it@contoso.example');
    await test.dialog.getByText('Test email sent').waitFor();
    await test.dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Check again' }).click();
    await waitForState('send', 'ok');
    for (const id of [
      'registration',
      'secret',
      'consent',
      'exchange-principal',
      'mailbox-permission',
      'smtp-auth',
      'saved',
      'connect',
    ])
      expect(`${id}: ${await stepState(id)}`).toBe(`${id}: ok`);
    expect(peer.messages.at(-1)?.user).toBe(MAILBOX);

    await responses.done();
    expect(responses.bodies.filter((b) => b.includes(SECRET))).toEqual([]);
  });
});
