import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphServer, type GraphTestServer } from '@/tests/support/graph-server';
import { MS_CLIENT } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { httpsPorts } from '@/tests/support/allow-https';
import { combinedCaFile } from '@/tests/support/trust-test-ca';
import type { RunningApp } from '@/tests/e2e/support/app';
import { createStore, openConsole, sendTestEmail, type SignedInConsole } from '@/tests/e2e/support/session';

const SECRET = 'graph-e2e-client-secret';
const TENANT = 'fabrikam.onmicrosoft.com';
const MAILBOX = 'notifications@fabrikam.example';

let oauth: OAuthTestServer;
let graph: GraphTestServer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;

beforeAll(async () => {
  oauth = await startOAuthServer({ clients: { [MS_CLIENT]: { secret: SECRET } } });
  graph = await startGraphServer({
    validate: (token) => {
      const issued = oauth.issuedFor(token);
      return issued && issued.kind === 'access' && issued.expiresAt > Date.now()
        ? { ok: true, user: issued.user, appOnly: !issued.user, scope: issued.scope }
        : { ok: false };
    },
  });
  ui = await openConsole({
    NODE_EXTRA_CA_CERTS: combinedCaFile(oauth.caPem, graph.caPem),
    HTTP_ALLOWED_PORTS: httpsPorts(oauth.origin, graph.url),
  });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await graph?.close();
  await oauth?.close();
});

describe('Microsoft Graph transport', () => {
  it('switches a store to Graph, connects as the app, and Test Server posts sendMail to the local Graph', async () => {
    await createStore(page, app.url, 'Fabrikam');

    await page.getByLabel('From email address').fill(MAILBOX);
    await page.getByRole('radio', { name: /Microsoft Graph API/ }).click();
    expect(await page.getByRole('radio', { name: /OAuth 2\.0/ }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByLabel('Sender mailbox').inputValue()).toBe(MAILBOX);
    expect(await page.getByLabel('SMTP Server', { exact: true }).count()).toBe(0);
    await page.getByLabel('Graph endpoint').fill(graph.url);

    await page.getByLabel('Grant type').selectOption('client_credentials');
    expect(await page.getByLabel('Scope', { exact: true }).inputValue()).toBe('https://graph.microsoft.com/.default');
    await page.getByLabel('Tenant (directory) ID').fill(TENANT);
    await page.getByLabel('Token Endpoint', { exact: true }).fill(oauth.entra(TENANT).tokenEndpoint);
    await page.getByLabel('Client ID', { exact: true }).fill(MS_CLIENT);
    await page.getByLabel('Client Secret', { exact: true }).fill(SECRET);
    await page.getByLabel('SMTP login user').fill(MAILBOX);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(`Connected: the app received a token to send as ${MAILBOX}.`).waitFor();
    await page
      .getByTestId('oauth-status')
      .filter({ hasText: /^Connected$/ })
      .waitFor();

    const { dialog } = await sendTestEmail(page);
    await dialog.getByText('Test email sent').waitFor();
    expect(await dialog.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual([
      'resolve',
      'token',
      'request',
      'accepted',
    ]);

    expect(graph.messages).toHaveLength(1);
    expect(graph.messages[0].mailbox).toBe(MAILBOX);
    expect(graph.messages[0].message.subject).toBe('Mailroom test — Fabrikam');
  });
});
