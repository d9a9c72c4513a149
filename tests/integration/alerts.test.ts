import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAlertCheck } from '@/lib/alerts/engine';
import { runKeepAlive } from '@/lib/alerts/keep-alive';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/alerts/settings';
import { createChannel, saveAlertSettings, sendTestAlert } from '@/lib/alerts/service';
import { openSecret } from '@/lib/crypto';
import { decrypt, makeKeyring } from '@/lib/crypto/cipher';
import { reencryptAll } from '@/lib/crypto/rotate';
import { db } from '@/lib/db';
import { getEnv, resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { forgetStaleRelayCertificates } from '@/lib/relay/certificate-record';
import { startRelay, type Relay } from '@/lib/relay/server';
import { generateSelfSigned } from '@/lib/relay/tls';
import { createStore } from '@/lib/stores/service';
import { createUser } from '@/lib/users/service';
import { alertChannelSchema, type AlertChannelInput } from '@/lib/validation/alerts';
import { notificationsSchema } from '@/lib/validation/notifications';
import { httpsPorts } from '@/tests/support/allow-https';
import { textBody } from '@/tests/support/mime';
import { notificationsInput } from '@/tests/support/notification-values';
import { connectOAuth, microsoftOAuthStore, startOAuthPeers } from '@/tests/support/oauth-profile';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { closedPort, type Peer } from '@/tests/support/smtp-peer';
import { startWebhookServer, type WebhookServer } from '@/tests/support/webhook-server';

const SECRET = 'local-client-secret-value';
const TENANT = 'contoso.onmicrosoft.com';
const MAILBOX = 'helpdesk@contoso.example';
const SENDER = 'alerts@example.com';
const SENDER_PASSWORD = 'sender password 123';
const SIGNING_SECRET = 'a signing secret of some length';
const MINUTE = 60_000;
const DAY = 86_400_000;
const REPEAT_MINUTES = 60;

let oauth: OAuthTestServer;
let peer: Peer;
let hooks: WebhookServer;
let closePeers: () => Promise<void>;
let admin: { id: string; email: string };

beforeAll(async () => {
  ({ oauth, peer, close: closePeers } = await startOAuthPeers({ clientSecret: SECRET, users: { [SENDER]: SENDER_PASSWORD } }));
  // Same certificate as the OAuth server's, which startOAuthPeers made this process trust.
  hooks = await startWebhookServer();
  process.env.HTTP_ALLOWED_PORTS = httpsPorts(oauth.origin, hooks.origin);
  resetEnvCache();
  admin = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'ann password 123', role: 'admin' });
  await saveAlertSettings({ ...DEFAULT_ALERT_SETTINGS, repeatMinutes: REPEAT_MINUTES, backlogCount: 5, version: 0 }, admin.email);
});
afterAll(async () => {
  await hooks?.close();
  await closePeers?.();
});
beforeEach(async () => {
  await db.alertChannel.deleteMany();
  hooks.received.length = 0;
  peer.messages.length = 0;
});

const channel = (v: Partial<AlertChannelInput>) =>
  createChannel(
    alertChannelSchema.parse({
      kind: 'webhook',
      name: 'Hook',
      recipients: '',
      storeId: '',
      fallbackStoreId: '',
      url: '',
      signingSecret: '',
      ...v,
    }),
    admin.email,
  );
const genericHook = () =>
  channel({ kind: 'webhook', name: 'Monitoring', url: `${hooks.origin}/hooks/mailroom`, signingSecret: SIGNING_SECRET });

/** A store sending with Basic auth through the local SMTP peer (or `port`). */
async function smtpStore(name: string, port = peer.port) {
  const store = await createStore({ name, type: 'other' }, admin.email);
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: SENDER },
    auth: { useAuth: true, authType: 'basic', smtpUsername: SENDER, smtpPassword: { mode: 'set', value: SENDER_PASSWORD } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), admin.email);
  return store;
}

const profile = (storeId: string, data: Parameters<typeof db.notificationProfile.update>[0]['data']) =>
  db.notificationProfile.update({ where: { storeId }, data });
const oauthOn = { useAuth: true, authType: 'oauth2' } as const;

const later = (t: Date, ms: number) => new Date(t.getTime() + ms);

type Case = {
  condition: string;
  start: (storeId: string, t: Date) => Promise<unknown>;
  end: (storeId: string, t: Date) => Promise<unknown>;
};

const queued = (storeId: string, createdAt: Date, n = 1) =>
  db.outboxMessage.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      storeId,
      kind: 'notification',
      messageId: `<${storeId}-${createdAt.getTime()}-${i}@example.com>`,
      envelopeFrom: SENDER,
      recipients: '["user@example.com"]',
      recipientCount: 1,
      createdAt,
    })),
  });
const logged = (storeId: string, ok: boolean, at: Date) =>
  db.deliveryLog.create({
    data: {
      storeId,
      kind: 'notification',
      recipient: 'user@example.com',
      ok,
      failedStep: ok ? '' : 'rcpt_to',
      durationMs: 5,
      createdAt: at,
    },
  });

const CASES: Case[] = [
  {
    condition: 'oauth_reconnect',
    start: (id) =>
      profile(id, { ...oauthOn, oauthStatus: 'needs_reconnect', oauthErrorCode: 'AADSTS700082', oauthError: 'Expired' }),
    end: (id) => profile(id, { oauthStatus: 'connected', oauthErrorCode: '', oauthError: '' }),
  },
  {
    condition: 'credential_expiry',
    start: (id, t) => profile(id, { ...oauthOn, clientSecretExpiresAt: later(t, 20 * DAY) }),
    end: (id, t) => profile(id, { clientSecretExpiresAt: later(t, 400 * DAY) }),
  },
  {
    condition: 'token_idle',
    start: (id, t) =>
      profile(id, {
        ...oauthOn,
        oauthStatus: 'connected',
        refreshTokenIssuedAt: later(t, -40 * DAY),
        oauthLastRefreshAt: later(t, -40 * DAY),
      }),
    end: (id, t) => profile(id, { oauthLastRefreshAt: later(t, REPEAT_MINUTES * MINUTE) }),
  },
  {
    condition: 'keepalive_failed',
    start: (id, t) =>
      profile(id, {
        ...oauthOn,
        oauthStatus: 'connected',
        refreshTokenIssuedAt: later(t, -20 * DAY),
        oauthLastRefreshAt: later(t, -20 * DAY),
        oauthErrorCode: 'temporarily_unavailable',
      }),
    end: (id, t) => profile(id, { oauthErrorCode: '', oauthLastRefreshAt: later(t, REPEAT_MINUTES * MINUTE) }),
  },
  {
    condition: 'send_failures',
    start: async (id, t) => {
      for (let i = 3; i > 0; i--) await logged(id, false, later(t, -i * MINUTE));
    },
    end: (id, t) => logged(id, true, later(t, REPEAT_MINUTES * MINUTE)),
  },
  {
    condition: 'queue_backlog',
    start: (id, t) => queued(id, later(t, -MINUTE), 5),
    end: (id) => db.outboxMessage.updateMany({ where: { storeId: id }, data: { state: 'sent' } }),
  },
  {
    condition: 'queue_age',
    start: (id, t) => queued(id, later(t, -45 * MINUTE)),
    end: (id) => db.outboxMessage.updateMany({ where: { storeId: id }, data: { state: 'cancelled' } }),
  },
];

describe('alert conditions (clock injected)', () => {
  it.each(CASES)('$condition fires once, repeats after the interval, and resolves', async (c) => {
    await genericHook();
    const store = await createStore({ name: `Cond ${c.condition}`, type: 'other' }, admin.email);
    const t = new Date();
    const events = async () =>
      (
        await db.alertNotice.findMany({
          where: { alert: { condition: c.condition, storeId: store.id } },
          orderBy: { createdAt: 'asc' },
          select: { event: true },
        })
      ).map((n) => n.event);
    const hooked = () =>
      hooks.received
        .map((h) => JSON.parse(h.body) as { event: string; alert: { condition: string; store: { id: string } | null } })
        .filter((b) => b.alert.condition === c.condition && b.alert.store?.id === store.id)
        .map((b) => b.event);

    await runAlertCheck({ now: t });
    expect(await events()).toEqual([]);

    await c.start(store.id, t);
    await runAlertCheck({ now: t });
    expect(await events()).toEqual(['fired']);
    await runAlertCheck({ now: later(t, 10 * MINUTE) });
    expect(await events()).toEqual(['fired']);
    await runAlertCheck({ now: later(t, REPEAT_MINUTES * MINUTE) });
    expect(await events()).toEqual(['fired', 'repeat']);

    await c.end(store.id, t);
    const after = later(t, (REPEAT_MINUTES + 5) * MINUTE);
    await runAlertCheck({ now: after });
    expect(await events()).toEqual(['fired', 'repeat', 'resolved']);
    await runAlertCheck({ now: later(after, REPEAT_MINUTES * MINUTE) });
    expect(await events()).toEqual(['fired', 'repeat', 'resolved']);
    expect(hooked()).toEqual(['fired', 'repeat', 'resolved']);

    const { id } = await db.alert.findFirstOrThrow({ where: { condition: c.condition, storeId: store.id } });
    const audit = await db.auditEvent.findMany({
      where: { target: store.name, action: { startsWith: 'alert.' }, details: { contains: id } },
      select: { action: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['alert.fired', 'alert.repeat', 'alert.resolved']);
  });

  it('announces each step of a client secret’s expiry: 30 days, 7 days, 1 day, expired', async () => {
    const store = await createStore({ name: 'Expiring secret', type: 'other' }, admin.email);
    const t = new Date();
    await profile(store.id, { ...oauthOn, clientSecretExpiresAt: later(t, 25 * DAY) });
    const titles = async () =>
      (
        await db.alertNotice.findMany({
          where: { event: 'fired', alert: { storeId: store.id, condition: 'credential_expiry' } },
          orderBy: { createdAt: 'asc' },
          select: { event: true, title: true },
        })
      ).map((n) => `${n.event}: ${n.title}`);
    for (const day of [0, 1, 19, 20, 24, 26]) await runAlertCheck({ now: later(t, day * DAY) });
    expect(await titles()).toEqual([
      'fired: Expiring secret: client secret expires in 25 days',
      'fired: Expiring secret: client secret expires in 6 days',
      'fired: Expiring secret: client secret expires in 1 day',
      'fired: Expiring secret: client secret expired',
    ]);
  });
});

describe('webhooks', () => {
  it('posts the generic payload with a valid HMAC-SHA256 signature', async () => {
    const hook = await genericHook();
    const row = await db.alertChannel.findUniqueOrThrow({ where: { id: hook.id } });
    // Stored encrypted: neither the URL nor the secret is readable in the database.
    expect(row.urlEnc).not.toContain('127.0.0.1');
    expect(row.signingSecretEnc).not.toContain(SIGNING_SECRET);
    expect(openSecret(row.id, 'url', row.urlEnc!)).toBe(`${hooks.origin}/hooks/mailroom`);

    const sent = await sendTestAlert(hook.id, admin.email);
    expect(sent.ok).toBe(true);
    expect(hooks.received).toHaveLength(1);
    const [got] = hooks.received;
    expect(got.path).toBe('/hooks/mailroom');
    const timestamp = String(got.headers['x-mailroom-timestamp']);
    const expected = `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`;
    expect(got.headers['x-mailroom-signature']).toBe(expected);
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'mailroom.alert',
      event: 'test',
      alert: { title: 'Test alert from Mailroom' },
    });

    const history = await db.alertNotice.findMany({ where: { channelId: hook.id } });
    expect(history).toMatchObject([{ event: 'test', ok: true, actorEmail: admin.email }]);
  });

  it('re-encrypts the webhook URL and signing secret when the key is rotated', async () => {
    const hook = await genericHook();
    const oldKey = getEnv().APP_ENCRYPTION_KEY;
    const newKey = randomBytes(32).toString('base64');
    await reencryptAll({ ring: makeKeyring(newKey, [oldKey]) });
    const row = await db.alertChannel.findUniqueOrThrow({ where: { id: hook.id } });
    const onlyNew = makeKeyring(newKey);
    expect(decrypt(onlyNew, row.urlEnc!, `${row.id}|url`)).toBe(`${hooks.origin}/hooks/mailroom`);
    expect(decrypt(onlyNew, row.signingSecretEnc!, `${row.id}|signingSecret`)).toBe(SIGNING_SECRET);
  });

  it('posts the shapes Teams Workflows and Slack accept, and records a refusal', async () => {
    const teams = await channel({ kind: 'teams', name: 'Teams', url: `${hooks.origin}/workflows/abc?sig=secret-part` });
    const slack = await channel({ kind: 'slack', name: 'Slack', url: `${hooks.origin}/services/T0/B0/xyz` });
    expect((await sendTestAlert(teams.id, admin.email)).ok).toBe(true);
    hooks.status = 404;
    const refused = await sendTestAlert(slack.id, admin.email);
    hooks.status = 200;
    expect(refused).toMatchObject({ ok: false, outcome: expect.stringContaining('HTTP 404') as unknown });

    const [teamsBody, slackBody] = hooks.received.map((h) => JSON.parse(h.body) as Record<string, unknown>);
    expect(teamsBody).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }],
    });
    expect(slackBody).toMatchObject({ text: 'Test alert: Test alert from Mailroom', blocks: expect.any(Array) as unknown });
    expect(hooks.received[0].headers['x-mailroom-signature']).toBeUndefined();
    const failed = await db.alertNotice.findFirstOrThrow({ where: { channelId: slack.id } });
    expect(failed.ok).toBe(false);
  });
});

describe('email alerts', () => {
  it('sends the alert through the chosen store to the admin addresses', async () => {
    const store = await smtpStore('Alert sender');
    const email = await channel({
      kind: 'email',
      name: 'Admins',
      recipients: 'ops@example.com; it@example.com',
      storeId: store.id,
    });
    const sent = await sendTestAlert(email.id, admin.email);
    expect(sent).toMatchObject({ ok: true, outcome: expect.stringContaining('“Alert sender”') as unknown });
    expect(peer.messages).toHaveLength(1);
    expect(peer.messages[0]).toMatchObject({ from: SENDER, to: ['ops@example.com', 'it@example.com'] });
    expect(peer.messages[0].headers.subject).toBe('[Mailroom] Test alert: Test alert from Mailroom');
  });

  it('uses the fallback store when the alert store is the broken one', async () => {
    const broken = await smtpStore('Broken sender');
    const fallback = await smtpStore('Fallback sender');
    await channel({
      kind: 'email',
      name: 'Admins',
      recipients: 'ops@example.com',
      storeId: broken.id,
      fallbackStoreId: fallback.id,
    });
    await profile(broken.id, {
      ...oauthOn,
      oauthStatus: 'needs_reconnect',
      oauthErrorCode: 'AADSTS7000222',
      oauthError: 'Secret expired',
    });

    await runAlertCheck({ now: new Date() });
    const notice = await db.alertNotice.findFirstOrThrow({
      where: { alert: { storeId: broken.id, condition: 'oauth_reconnect' } },
    });
    expect(notice).toMatchObject({ event: 'fired', ok: true, outcome: expect.stringContaining('“Fallback sender”') as unknown });
    // Alerts of the stores above come too (their clocks ran ahead): this one's is the one to check.
    const mail = peer.messages.filter((m) => m.headers.subject?.includes('Broken sender'));
    expect(mail.map((m) => m.headers.subject)).toEqual(['[Mailroom] Alert: Broken sender: OAuth connection needs reconnecting']);
    expect(mail[0].body).toContain('AADSTS7000222');
    await profile(broken.id, { useAuth: true, authType: 'basic', oauthStatus: 'not_connected', oauthErrorCode: '' });
    await runAlertCheck({ now: new Date() });
  });

  it('falls back when the alert store fails to send', async () => {
    const unreachable = await smtpStore('Unreachable sender', await closedPort());
    const fallback = await smtpStore('Second sender');
    const email = await channel({
      kind: 'email',
      name: 'Admins',
      recipients: 'ops@example.com',
      storeId: unreachable.id,
      fallbackStoreId: fallback.id,
    });
    const sent = await sendTestAlert(email.id, admin.email);
    expect(sent.ok).toBe(true);
    expect(sent.outcome).toMatch(/Sent through “Second sender” after “Unreachable sender” failed at/);
    expect(peer.messages).toHaveLength(1);
  });
});

const relayPort = (r: Relay) => {
  const s = r.status();
  return s.state === 'listening' ? s.listeners[0].port : 0;
};

describe('relay certificate', () => {
  it('warns when the certificate a running relay presents nears expiry, and resolves when that relay stops', async () => {
    const sender = await smtpStore('Relay alert sender');
    await channel({ kind: 'email', name: 'Admins', recipients: 'ops@example.com', storeId: sender.id });
    await genericHook();
    // A certificate from files (RELAY_TLS_CERT_FILE), valid for 10 more days.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-cert-'));
    const pems = await generateSelfSigned('relay.alerts.test', ['relay.alerts.test'], later(new Date(), 10 * DAY + 3_600_000));
    fs.writeFileSync(path.join(dir, 'cert.pem'), pems.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), pems.key);
    const relay = await startRelay({
      ports: [{ port: 0, implicitTls: false }],
      hostname: 'relay.alerts.test',
      certFile: path.join(dir, 'cert.pem'),
      keyFile: path.join(dir, 'key.pem'),
      dataDir: dir,
      allowPlainAuth: false,
      maxMessageBytes: 1024 * 1024,
      authFailures: 3,
    });
    const events = async () =>
      (
        await db.alertNotice.findMany({
          where: { alert: { condition: 'relay_certificate' } },
          orderBy: { createdAt: 'asc' },
          select: { event: true, title: true, ok: true },
        })
      ).map((n) => `${n.event} ${n.ok ? 'sent' : 'not sent'}: ${n.title}`);
    try {
      await runAlertCheck({ now: new Date() });
      expect(await events()).toEqual([
        'fired sent: Relay certificate expires in 10 days',
        'fired sent: Relay certificate expires in 10 days',
      ]);
      const mail = peer.messages.filter((m) => m.headers.subject?.includes('Relay certificate'));
      expect(mail.map((m) => m.headers.subject)).toEqual(['[Mailroom] Alert: Relay certificate expires in 10 days']);
      const body = textBody(mail[0]).replace(/\s+/g, ' ');
      expect(body).toContain(`The relay at relay.alerts.test (port ${relayPort(relay)}) presents CN=relay.alerts.test`);
      expect(body).toContain(`(${path.join(dir, 'cert.pem')}) and restart Mailroom`);
      const hooked = hooks.received
        .map((h) => JSON.parse(h.body) as { event: string; alert: { condition: string; store: unknown; severity: string } })
        .filter((b) => b.alert.condition === 'relay_certificate');
      expect(hooked).toMatchObject([{ event: 'fired', alert: { store: null, severity: 'warning' } }]);

      // The same certificate seen again: no new alert before the repeat interval.
      await runAlertCheck({ now: new Date() });
      expect(await events()).toHaveLength(2);
    } finally {
      await relay.stop(100);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A relay that stopped (or was restarted with a renewed certificate) no longer presents it.
    await runAlertCheck({ now: new Date() });
    expect((await events()).slice(2)).toEqual([
      'resolved sent: Relay certificate expires in 10 days',
      'resolved sent: Relay certificate expires in 10 days',
    ]);
    const audit = await db.auditEvent.findMany({ where: { target: 'SMTP relay' }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(['alert.fired', 'alert.resolved']);
  });

  it('ignores the certificate of a relay that died without stopping (not seen for hours), and forgets it after a day', async () => {
    await genericHook();
    const now = new Date();
    const row = {
      host: 'gone-host',
      pid: 1,
      hostname: 'relay.gone.test',
      source: 'files',
      certFile: '/etc/gone.pem',
      subject: 'CN=relay.gone.test',
      fingerprint256: 'GO:NE',
      validTo: later(now, 2 * DAY),
    };
    await db.relayCertificateInUse.createMany({
      data: [
        { id: 'died-4h-ago', ...row, seenAt: later(now, -4 * 60 * MINUTE) },
        { id: 'died-2d-ago', ...row, seenAt: later(now, -2 * DAY) },
      ],
    });
    await runAlertCheck({ now });
    expect(await db.alert.count({ where: { key: 'relay_certificate:GO:NE' } })).toBe(0);
    await forgetStaleRelayCertificates(now);
    expect((await db.relayCertificateInUse.findMany({ select: { id: true } })).map((r) => r.id)).toEqual(['died-4h-ago']);
    await db.relayCertificateInUse.deleteMany();
  });
});

describe('token keep-alive', () => {
  const oauthStore = (name: string) =>
    microsoftOAuthStore(
      { oauth, smtpPort: peer.port, tenant: TENANT, clientSecret: SECRET, mailbox: MAILBOX, actor: admin.email },
      name,
    );

  it('refreshes an idle connection and stores the rotated refresh token, encrypted', async () => {
    const idle = await oauthStore('Idle store');
    const busy = await oauthStore('Busy store');
    await connectOAuth(idle.store.id, admin.id, MAILBOX);
    await connectOAuth(busy.store.id, admin.id, MAILBOX);
    const before = await db.notificationProfile.findUniqueOrThrow({ where: { id: idle.profile.id } });
    const oldToken = openSecret(before.id, 'refreshToken', before.refreshTokenEnc!);
    const requests = oauth.counters.tokenRequests;

    // Fifteen days later, nothing was sent through either store; the busy one refreshed yesterday.
    const now = later(new Date(), 15 * DAY);
    await profile(busy.store.id, { oauthLastRefreshAt: later(now, -DAY) });
    const results = await runKeepAlive({ now });
    expect(results.filter((r) => r.storeName.endsWith(' store'))).toEqual([{ storeName: 'Idle store', ok: true }]);
    expect(oauth.counters.tokenRequests).toBe(requests + 1);

    const after = await db.notificationProfile.findUniqueOrThrow({ where: { id: idle.profile.id } });
    const newToken = openSecret(after.id, 'refreshToken', after.refreshTokenEnc!);
    expect(newToken).not.toBe(oldToken);
    expect(after.refreshTokenEnc).not.toContain(newToken);
    expect(oauth.issuedFor(newToken)?.kind).toBe('refresh');
    expect(oauth.issuedFor(oldToken)).toBeUndefined();
    expect(after.oauthStatus).toBe('connected');
  });

  it('raises the alert when the refresh fails', async () => {
    const dead = await oauthStore('Revoked store');
    await connectOAuth(dead.store.id, admin.id, MAILBOX);
    await genericHook();
    const now = later(new Date(), 15 * DAY);
    await db.notificationProfile.updateMany({ where: { storeId: { not: dead.store.id } }, data: { oauthLastRefreshAt: now } });
    oauth.failNext({
      status: 400,
      error: 'invalid_grant',
      error_description: 'AADSTS700082: The refresh token has expired due to inactivity.',
      error_codes: [700082],
    });
    const results = await runKeepAlive({ now });
    expect(results).toMatchObject([{ storeName: 'Revoked store', ok: false }]);
    await runAlertCheck({ now });
    const alert = await db.alert.findFirstOrThrow({ where: { storeId: dead.store.id, resolvedAt: null } });
    expect(alert).toMatchObject({ condition: 'oauth_reconnect', detail: expect.stringContaining('AADSTS700082') as unknown });
    expect(hooks.received.some((h) => h.body.includes('Revoked store: OAuth connection needs reconnecting'))).toBe(true);
  });
});
