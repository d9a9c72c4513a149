/**
 * Two `npm start` processes on one PostgreSQL database (created for this file), as behind a load
 * balancer: limits and token refreshes are shared, periodic jobs run once, a stop lets the send in
 * progress finish, a crash leaves the message to the other process, and the metrics are guarded.
 * The data (users, stores, keys, the OAuth connection) is written by this test process through lib/.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/api-keys/service';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { applyMigrations } from '@/lib/migrations/migrate';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { createStore } from '@/lib/stores/service';
import { createUser } from '@/lib/users/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { connectOAuth, microsoftOAuthStore, startOAuthPeers } from '@/tests/support/oauth-profile';
import { createTestDatabase, postgresUnavailable } from '@/tests/support/postgres';
import { until } from '@/tests/support/processes';
import type { Peer } from '@/tests/support/smtp-peer';
import { childTrustEnv } from '@/tests/support/trust-test-ca';
import { startApp, type RunningApp } from '@/tests/e2e/support/app';
import { signInOverHttp } from '@/tests/e2e/support/session';

const MAILBOX = 'helpdesk@contoso.example';
const SMTP_PASSWORD = 'instances-smtp-password';
const CLIENT_SECRET = 'instances-client-secret';
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const PASSWORD = 'a long enough password';

// Must be set before the first use of lib/ in this process: the database is PostgreSQL from the start.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-instances-'));
const keys = { APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), NEXTAUTH_SECRET: randomBytes(48).toString('base64') };

let skip: string | null = null;
let drop: (() => Promise<void>) | undefined;
let oauth: OAuthTestServer;
let peer: Peer;
let closePeers: (() => Promise<void>) | undefined;
let apps: RunningApp[] = [];
let appEnv: Record<string, string> = {};
/** One store with Basic auth and one with delegated OAuth 2.0, each with an API key. */
let basic: { storeId: string; key: string };
let oauthStore: { storeId: string; profileId: string; key: string };

const send = (app: RunningApp, key: string, subject: string) =>
  fetch(`${app.url}/api/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject, text: 'Sent through one of two processes.' }),
  });

/** The Prometheus text of `app`, and the sum of one metric's samples whose labels include `labels`. */
async function metric(app: RunningApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${app.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return (await res.text())
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => wanted.every((w) => line.includes(w)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
const metricOnBoth = async (name: string, labels: Record<string, string> = {}) =>
  (await Promise.all(apps.map((a) => metric(a, name, labels)))).reduce((a, b) => a + b, 0);

const message = (id: string) => db.outboxMessage.findUniqueOrThrow({ where: { id } });

/** The process (of `apps`) whose worker holds the message's lease (worker ids are host:pid:…). */
async function sendingProcess(outboxId: string): Promise<RunningApp> {
  let owner: RunningApp | undefined;
  await until(async () => {
    const m = await message(outboxId);
    const pid = Number(m.leaseOwner.split(':')[1]);
    owner = m.state === 'sending' ? apps.find((a) => a.pid === pid) : undefined;
    return !!owner && peer.commands.includes('DATA');
  }, 'a process to start sending');
  return owner!;
}

async function queueSlowMessage(subject: string): Promise<{ id: string; messageId: string }> {
  peer.commands.length = 0;
  // The peer takes its time to answer the end of DATA: the process is stopped while it waits.
  peer.behave({ dataDelayMs: 3_000 });
  const res = await send(apps[0], basic.key, subject);
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id: string; messageId: string };
  return { id: body.id, messageId: body.messageId };
}

/** Ten wrong passwords for `email` at `app`, each claiming another client in X-Forwarded-For. */
async function failWithForwardedFor(app: RunningApp, email: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const { error } = await signInOverHttp(
      app.url,
      { email, password: `wrong ${i}` },
      { headers: { 'x-forwarded-for': `198.51.100.${i}` } },
    );
    expect(error).toBe('CredentialsSignin');
  }
}

beforeAll(async () => {
  skip = await postgresUnavailable('the several-instances test');
  if (skip) return;
  const database = await createTestDatabase('mailroom_instances');
  drop = database.drop;
  await applyMigrations(database.url);
  Object.assign(process.env, { DATABASE_URL: database.url, DATA_DIR: dataDir, ...keys });
  resetEnvCache();

  ({
    oauth,
    peer,
    close: closePeers,
  } = await startOAuthPeers({
    clientSecret: CLIENT_SECRET,
    users: { [MAILBOX]: SMTP_PASSWORD },
  }));
  const admin = await createUser({ email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'admin' });
  for (const email of ['lock@example.com', 'spoof@example.com', 'proxied@example.com'])
    await createUser({ email, name: email, password: PASSWORD, role: 'viewer' });

  const store = await createStore({ name: 'Basic', type: 'other' }, admin.email);
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: MAILBOX },
    auth: { smtpUsername: MAILBOX, smtpPassword: { mode: 'set', value: SMTP_PASSWORD } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), admin.email);
  basic = { storeId: store.id, key: (await createApiKey(store.id, 'Helpdesk', admin.email)).key };

  const o = await microsoftOAuthStore(
    {
      oauth,
      smtpPort: peer.port,
      tenant: 'contoso.onmicrosoft.com',
      clientSecret: CLIENT_SECRET,
      mailbox: MAILBOX,
      actor: admin.email,
    },
    'Entra',
  );
  await connectOAuth(o.store.id, admin.id, MAILBOX);
  oauthStore = {
    storeId: o.store.id,
    profileId: o.profile.id,
    key: (await createApiKey(o.store.id, 'Helpdesk', admin.email)).key,
  };

  appEnv = {
    ...keys,
    DATABASE_URL: database.url,
    SMTP_ALLOWED_PORTS: process.env.SMTP_ALLOWED_PORTS ?? '',
    HTTP_ALLOWED_PORTS: process.env.HTTP_ALLOWED_PORTS ?? '',
    ...childTrustEnv(oauth.caFile),
    METRICS_TOKEN,
    // Short leases: a killed process's message is taken over within seconds.
    OUTBOX_LEASE_SECONDS: '5',
    PERIODIC_EVERY_MINUTES: '1',
  };
  // One after the other: each start checks the build and creates the job engine's tables.
  apps.push(await startApp(appEnv));
  // The second process sits behind a proxy on this machine that it trusts.
  apps.push(await startApp({ ...appEnv, TRUSTED_PROXIES: '127.0.0.1' }));
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.kill()));
  await db.$disconnect();
  await closePeers?.();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('two Mailroom processes on one PostgreSQL database', () => {
  it('both are ready, and each sees the other’s worker', async () => {
    if (skip) return;
    for (const app of apps) {
      const res = await fetch(`${app.url}/api/health/ready`);
      const body = (await res.json()) as { status: string; workers: { running: number }; components: Record<string, unknown> };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.status).toBe('ready');
      expect(body.workers.running).toBe(2);
      expect(Object.keys(body.components).sort()).toEqual(['http', 'outbox', 'relay']);
    }
  });

  it('10 failed sign-ins spread over both lock the account on both', { timeout: 150_000 }, async () => {
    if (skip) return;
    const who = { email: 'lock@example.com', password: PASSWORD };
    for (let i = 0; i < 10; i++) {
      const { error } = await signInOverHttp(apps[i % 2].url, { ...who, password: `wrong ${i}` });
      expect(error).toBe('CredentialsSignin');
    }
    for (const app of apps) {
      const { error } = await signInOverHttp(app.url, who);
      expect(error).toMatch(/^Too many failed sign-in attempts\. Try again in 1[45] minutes\.$/);
    }
  });

  // Sign-ins hash passwords on purpose slowly: these get more time than a test usually needs.
  it('a spoofed X-Forwarded-For does not reset the sign-in limit', { timeout: 150_000 }, async () => {
    if (skip) return;
    // The first process trusts no proxy: every attempt counts against 127.0.0.1, whatever the header says.
    await failWithForwardedFor(apps[0], 'spoof@example.com');
    const spoofed = await signInOverHttp(
      apps[0].url,
      { email: 'spoof@example.com', password: PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expect(spoofed.error).toMatch(/^Too many failed sign-in attempts/);
  });

  it('… unless the proxy it came through is trusted', { timeout: 150_000 }, async () => {
    if (skip) return;
    // The second trusts 127.0.0.1 as its proxy: each forwarded client is counted on its own.
    await failWithForwardedFor(apps[1], 'proxied@example.com');
    const proxied = await signInOverHttp(
      apps[1].url,
      { email: 'proxied@example.com', password: PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expect(proxied.error).toBeNull();
  });

  it('the metrics need the token, and their counts move after a send', async () => {
    if (skip) return;
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }] as Record<string, string>[]) {
      const res = await fetch(`${apps[0].url}/api/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('mailroom_');
    }
    const labels = { store: basic.storeId, result: 'sent' };
    const before = await metricOnBoth('mailroom_sends_total', labels);
    const requests = await metric(apps[1], 'mailroom_http_request_duration_seconds_count', { route: '/api/v1/notifications' });
    const res = await send(apps[1], basic.key, 'Counted');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await until(async () => (await message(id)).state === 'sent', 'the message to be sent');
    expect(await metricOnBoth('mailroom_sends_total', labels)).toBe(before + 1);
    expect(await metric(apps[1], 'mailroom_http_request_duration_seconds_count', { route: '/api/v1/notifications' })).toBe(
      requests + 1,
    );
    expect(await metric(apps[0], 'mailroom_outbox_workers')).toBe(2);
  });

  it('20 concurrent sends with an expired access token, split over both: one token request', async () => {
    if (skip) return;
    await db.notificationProfile.update({
      where: { id: oauthStore.profileId },
      data: { accessTokenExpiresAt: new Date(Date.now() - 60_000) },
    });
    const tokenRequests = oauth.counters.tokenRequests;
    const delivered = peer.messages.length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(apps[i % 2], oauthStore.key, `Expired token ${i}`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    await until(
      async () => (await db.outboxMessage.count({ where: { storeId: oauthStore.storeId, state: 'sent' } })) === 20,
      '20 messages sent',
    );
    expect(oauth.counters.tokenRequests - tokenRequests).toBe(1);
    expect(peer.messages.length - delivered).toBe(20);
    expect(await metricOnBoth('mailroom_oauth_token_refreshes_total', { result: 'ok' })).toBe(1);
  });

  it('a periodic job scheduled by both processes runs once per tick', async () => {
    if (skip) return;
    const client = new pg.Client({ connectionString: appEnv.DATABASE_URL });
    await client.connect();
    // Each tick of a schedule is one pg-boss job; the runs both processes count must equal them, tick by tick.
    const ticks = async () => {
      const { rows } = await client.query<{ jobs: string; minutes: string }>(
        `SELECT count(*) AS jobs, count(DISTINCT date_trunc('minute', created_on)) AS minutes
         FROM (SELECT name, state, created_on FROM pgboss.job UNION ALL SELECT name, state, created_on FROM pgboss.archive) j
         WHERE name = 'periodic.oauth-states' AND state = 'completed'`,
      );
      // Two schedules (one per process) would make two jobs in one minute.
      expect(rows[0].jobs).toBe(rows[0].minutes);
      return Number(rows[0].jobs);
    };
    try {
      await until(async () => (await ticks()) >= 1, 'the first tick of the schedule', 90_000);
      let runs = -1;
      let completed = -2;
      // A tick may land between the two reads: read until both sides agree on a settled state.
      await until(async () => {
        const before = await ticks();
        runs = await metricOnBoth('mailroom_periodic_job_runs_total', { job: 'oauth-states' });
        completed = await ticks();
        return before === completed && runs === completed;
      }, `runs (${runs}) to match the ticks (${completed})`);
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBe(completed);
    } finally {
      await client.end();
    }
  });

  it('SIGTERM during a slow send: the send completes and the process exits 0', async () => {
    if (skip) return;
    const q = await queueSlowMessage('Finished before the stop');
    const owner = await sendingProcess(q.id);
    const exit = owner.stop();
    // It takes no new HTTP work while it finishes.
    await until(
      () =>
        fetch(`${owner.url}/api/health/ready`).then(
          (r) => r.status === 503,
          () => true,
        ),
      'the stopping process to refuse requests',
    );
    expect(await exit, owner.logs().slice(-3000)).toBe(0);
    const m = await message(q.id);
    expect(m.state).toBe('sent');
    expect(peer.messages.filter((x) => x.headers['message-id'] === q.messageId)).toHaveLength(1);
    const attempts = await db.outboxAttempt.findMany({ where: { outboxId: q.id } });
    expect(attempts.map((a) => [a.outcome, Number(a.worker.split(':')[1])])).toEqual([['sent', owner.pid]]);
    expect(await db.workerHeartbeat.count({ where: { pid: owner.pid } })).toBe(0);
    apps = apps.filter((a) => a !== owner);
  });

  it('SIGKILL during a slow send: the other process delivers the message', async () => {
    if (skip) return;
    apps.push(await startApp(appEnv));
    const q = await queueSlowMessage('Taken over after a crash');
    const owner = await sendingProcess(q.id);
    await owner.kill();
    apps = apps.filter((a) => a !== owner);
    peer.behave({ dataDelayMs: 0 });
    await until(async () => (await message(q.id)).state === 'sent', 'the other process to send it', 45_000);
    const attempts = await db.outboxAttempt.findMany({ where: { outboxId: q.id }, orderBy: { number: 'asc' } });
    expect(attempts.map((a) => a.outcome)).toEqual(['interrupted', 'sent']);
    expect(Number(attempts[1].worker.split(':')[1])).toBe(apps[0].pid);
    // The peer had the whole message when the first process died, so a second copy may arrive: same Message-ID.
    const copies = peer.messages.filter((x) => x.headers.subject === 'Taken over after a crash');
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(new Set(copies.map((x) => x.headers['message-id']))).toEqual(new Set([q.messageId]));
  });
});
