import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSelfSigned } from '@/lib/relay/tls';
import { freePort, type RunningApp } from '@/tests/e2e/support/app';
import {
  addViewer,
  createStore,
  fillLocalStarttls,
  openConsole,
  signIn,
  type SignedInConsole,
} from '@/tests/e2e/support/session';
import { RawSmtp, swaks } from '@/tests/support/relay-clients';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const SMTP_USER = 'helpdesk@contoso.example';
const SMTP_PASSWORD = 'Relay-e2e-Passw0rd';

let peer: Peer;
let ui: SignedInConsole;
let app: RunningApp;
let page: Page;
let relayPort: number;

let certDir: string;

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [SMTP_USER]: SMTP_PASSWORD }, queueId: 'RELAYE2E' });
  relayPort = await freePort();
  // The relay's certificate from files, as an admin installs one, five days before it expires;
  // trusted by the console's process as a CA-issued one would be (the relay test checks it).
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-e2e-cert-'));
  const pems = await generateSelfSigned('relay.contoso.example', ['localhost', '127.0.0.1'], inDays(5.5));
  fs.writeFileSync(path.join(certDir, 'cert.pem'), pems.cert);
  fs.writeFileSync(path.join(certDir, 'key.pem'), pems.key);
  ui = await openConsole({
    SMTP_ALLOWED_PORTS: `587,${peer.port}`,
    RELAY_PORT: String(relayPort),
    RELAY_TLS_CERT_FILE: path.join(certDir, 'cert.pem'),
    RELAY_TLS_KEY_FILE: path.join(certDir, 'key.pem'),
    NODE_EXTRA_CA_CERTS: path.join(certDir, 'cert.pem'),
    LOG_LEVEL: 'info',
  });
  ({ app, page } = ui);
});
afterAll(async () => {
  await ui?.close();
  await peer?.close();
  if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('The SMTP relay', () => {
  it('a credential (password shown once) lets swaks send through the relay; the Delivery log shows it; revoking gives 535', async () => {
    await createStore(page, app.url, 'Contoso AD');
    await fillLocalStarttls(page, peer.port, SMTP_USER);
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByLabel('SMTP username').fill(SMTP_USER);
    await page.getByLabel('SMTP password').fill(SMTP_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();

    await page.getByRole('link', { name: 'SMTP relay' }).click();
    await page.waitForURL(/\/relay$/);
    expect(await page.getByTestId('relay-status').textContent()).toBe(`Port ${relayPort} (STARTTLS) is listening.`);
    expect(await page.getByTestId('relay-fingerprint').textContent()).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The certificate's coming expiry is said where the relay is set up, in the alert's words.
    const expiring = page.getByRole('status').filter({ hasText: 'Relay certificate expires in 5 days' });
    expect(await expiring.textContent()).toContain(
      `Put the renewed certificate and key in the files RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE name (${path.join(certDir, 'cert.pem')})`,
    );

    // A bad source address is explained next to the field, nothing is created.
    await page.getByLabel('Username (optional)').fill('helpdesk-e2e');
    await page.getByLabel('Allowed from (optional)').fill('10.0.0.0/33');
    await page.getByRole('button', { name: 'Create relay credential' }).click();
    await page.getByText('"10.0.0.0/33" is not a valid CIDR range.').waitFor();
    await page.getByLabel('Allowed from (optional)').fill('127.0.0.1');
    await page.getByRole('button', { name: 'Create relay credential' }).click();
    await page.getByTestId('new-relay-credential').waitFor();
    const password = await page.getByLabel('Password', { exact: true }).inputValue();
    expect(password).toMatch(/^[\w-]{27}$/);
    await page.reload();
    expect(await page.content()).not.toContain(password);
    const row = page.getByTestId('relay-credential-row').filter({ hasText: 'helpdesk-e2e' });
    expect(await row.textContent()).toContain('127.0.0.1');
    expect(await row.textContent()).toContain('Active');

    const sent = await swaks({
      port: relayPort,
      from: SMTP_USER,
      to: 'servicedesk@contoso.example',
      localAddress: '127.0.0.1',
      auth: { type: 'LOGIN', user: 'helpdesk-e2e', password },
      headers: ['Subject: Printer out of toner'],
      body: 'Tray 2 is empty.',
    });
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/250 2\.0\.0 Queued as /);
    await until(() => peer.messages.some((m) => m.headers.subject === 'Printer out of toner'), 'the relayed message');
    const mail = peer.messages.find((m) => m.headers.subject === 'Printer out of toner')!;
    expect(mail.to).toEqual(['servicedesk@contoso.example']);
    expect(mail.body).toContain('Tray 2 is empty.');

    await page.getByRole('link', { name: 'Delivery log' }).click();
    const logRow = page.getByRole('row').filter({ hasText: 'Printer out of toner' });
    await logRow.waitFor();
    const text = await logRow.textContent();
    expect(text).toContain('Relay');
    expect(text).toContain('relay user “helpdesk-e2e”');
    expect(text).toContain('from 127.0.0.1');
    expect(text).toContain('Delivered');

    // The console's own client, through the listener, to the peer.
    await page.getByRole('link', { name: 'SMTP relay' }).click();
    await page.getByLabel('Recipient').fill('it-team@contoso.example');
    await page.getByRole('button', { name: 'Send a test through the relay' }).click();
    await page.getByText('Delivered through the relay').waitFor({ timeout: 40_000 });
    expect(peer.messages.some((m) => m.headers.subject === 'Mailroom relay test' && m.to[0] === 'it-team@contoso.example')).toBe(
      true,
    );

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke helpdesk-e2e' }).click();
    await page.getByText('Revoked “helpdesk-e2e”').waitFor();
    const refused = await swaks({
      port: relayPort,
      from: SMTP_USER,
      to: 'servicedesk@contoso.example',
      localAddress: '127.0.0.1',
      auth: { type: 'LOGIN', user: 'helpdesk-e2e', password },
    });
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/535 5\.7\.8 Authentication failed/);

    const logs = app.logs();
    expect(logs).toContain('"audit":"relay.credential_create"');
    expect(logs).toContain('"audit":"relay.credential_revoke"');
    expect(logs).toContain('"audit":"relay.test"');
    expect(logs).not.toContain(password);
  });

  it('the activity log has every credential change; a viewer sees the tab read-only', async () => {
    await page.goto(`${app.url}/activity`);
    await page.getByText('Created a relay credential').first().waitFor();
    expect(await page.getByText('Revoked a relay credential').count()).toBeGreaterThan(0);
    expect(await page.getByText('Sent a test through the relay').count()).toBeGreaterThan(0);

    await addViewer(page, app.url, { email: 'viewer@example.com', password: 'viewer password 1' });
    await page.goto(`${app.url}/stores`);
    const storeHref = await page.getByRole('link', { name: 'Contoso AD' }).getAttribute('href');

    const viewerCtx = await ui.browser.newContext();
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, app.url, { email: 'viewer@example.com', password: 'viewer password 1' });
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewer.goto(`${app.url}${storeHref!.replace(/\/notifications$/, '')}/relay`);
    await viewer.getByText('Only admins can create or revoke relay credentials.').waitFor();
    expect(await viewer.getByTestId('relay-credential-row').filter({ hasText: 'helpdesk-e2e' }).textContent()).toContain(
      'Revoked',
    );
    expect(await viewer.getByRole('button', { name: 'Create relay credential' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Send a test through the relay' }).count()).toBe(0);
    expect(await viewer.getByTestId('open-relay-readonly').textContent()).toContain('every client logs in');
    await viewerCtx.close();
  });

  it('SIGTERM: a connected relay client is answered 421, and npm start exits cleanly', async () => {
    const { client, greeting } = await RawSmtp.open(relayPort);
    expect(greeting).toMatch(/^220 /);
    expect(await client.send('EHLO client.test')).toMatch(/^250/);
    const exited = app.stop();
    expect(await client.reply()).toMatch(/^421 4\.3\.2 Mailroom is stopping/);
    expect(await exited).toBe(0);
  });
});
