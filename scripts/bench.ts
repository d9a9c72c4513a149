/**
 * `npm run bench`: Test Server through the JSON endpoint and a notification through the send API
 * vs a bare nodemailer send with the same settings, against one local SMTP sink (STARTTLS + PLAIN)
 * in one run. Prints medians, the ratios and SMTP connections per request; then the SMTP relay
 * under load (scripts/bench-relay.ts, its own process and database). Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startApp } from '@/tests/e2e/support/app';
import { startSmtpPeer } from '@/tests/support/smtp-peer';
import { buildIfStale, root } from '@/scripts/build';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const USER = 'bench@example.com';
const PASS = 'bench-smtp-password';
const ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password' };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** next-auth credentials sign-in over HTTP; returns the Cookie header of the session. */
async function signIn(url: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.includes('session-token'));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return [...jar, session].join('; ');
}

async function main() {
  buildIfStale('.next-e2e');
  const peer = await startSmtpPeer({ users: { [USER]: PASS } });
  const app = await startApp({
    SMTP_ALLOWED_PORTS: String(peer.port),
    TEST_SERVER_PER_MINUTE: '10000',
    SEND_API_PER_MINUTE: '10000',
  });
  try {
    // The bench process writes the fixtures straight into the app's database.
    process.env.DATA_DIR = app.dataDir;
    process.env.DATABASE_URL = app.databaseUrl;
    const { createUser } = await import('@/lib/users/service');
    const { createStore } = await import('@/lib/stores/service');
    const { saveNotificationSettings } = await import('@/lib/notifications/service');
    const { notificationsSchema } = await import('@/lib/validation/notifications');
    const { loadSendProfile } = await import('@/lib/notifications/send-profile');
    const { bareSend } = await import('@/lib/mail/bare-send');
    const { notificationsInput } = await import('@/tests/support/notification-values');
    const { createApiKey } = await import('@/lib/api-keys/service');

    await createUser({ ...ADMIN, name: 'Bench', role: 'admin' });
    const store = await createStore({ name: 'Bench', type: 'other' }, ADMIN.email);
    const values = notificationsInput({
      smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: USER },
      auth: { smtpUsername: USER, smtpPassword: { mode: 'set', value: PASS } },
    });
    await saveNotificationSettings(store.id, notificationsSchema.parse(values), ADMIN.email);
    const profile = await loadSendProfile(store.id);
    const cookie = await signIn(app.url);
    const { key } = await createApiKey(store.id, 'Bench', ADMIN.email);

    const endpoint: number[] = [];
    const bare: number[] = [];
    const api: number[] = [];
    let endpointConnections = 0;
    let apiConnections = 0;
    for (let i = 0; i < RUNS; i++) {
      // Alternate so drift (JIT warm-up, GC) affects both sides alike.
      let t = performance.now();
      const before = peer.connections;
      const res = await fetch(`${app.url}/api/stores/${store.id}/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: app.url },
        body: JSON.stringify({ to: 'inbox@example.com' }),
      });
      const result = (await res.json()) as { ok?: boolean; failedStep?: string };
      if (!result.ok) throw new Error(`Test Server failed: ${JSON.stringify(result)}`);
      endpoint.push(performance.now() - t);
      endpointConnections += peer.connections - before;

      t = performance.now();
      const apiBefore = peer.connections;
      const sent = await fetch(`${app.url}/api/v1/notifications`, {
        method: 'POST',
        // Queued, then answered with the outcome (Prefer: wait), as a caller that wants it would ask.
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, prefer: 'wait=30' },
        body: JSON.stringify({ to: ['inbox@example.com'], subject: 'bench', text: 'bench' }),
      });
      if (sent.status !== 200) throw new Error(`send API failed: ${sent.status} ${await sent.text()}`);
      await sent.arrayBuffer();
      api.push(performance.now() - t);
      apiConnections += peer.connections - apiBefore;

      t = performance.now();
      await bareSend(profile.target, profile.auth, {
        from: profile.from,
        to: 'inbox@example.com',
        subject: 'bench',
        text: 'bench',
      });
      bare.push(performance.now() - t);
    }
    const e = median(endpoint);
    const b = median(bare);
    const a = median(api);
    console.log(`runs: ${RUNS} of each, alternating, SMTP sink on 127.0.0.1:${peer.port} (STARTTLS, AUTH PLAIN)`);
    console.log(`Test Server via POST /api/stores/{id}/test: median ${e.toFixed(1)} ms`);
    console.log(`notification via POST /api/v1/notifications (Prefer: wait): median ${a.toFixed(1)} ms`);
    console.log(`bare nodemailer sendMail, same settings:     median ${b.toFixed(1)} ms`);
    console.log(`ratio (Test Server endpoint / bare): ${(e / b).toFixed(2)}`);
    console.log(`ratio (send API / bare): ${(a / b).toFixed(2)}`);
    console.log(
      `SMTP connections per Test Server request: ${(endpointConnections / RUNS).toFixed(2)}, per send API request: ${(apiConnections / RUNS).toFixed(2)}`,
    );
    console.log(`messages received by the sink: ${peer.messages.length} (expected ${RUNS * 3})`);
  } finally {
    await app.stop();
    await peer.close();
  }
}

/** The relay benchmark in a process of its own: it brings its own database, relay, worker and sink. */
function benchRelay(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'bench-relay.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // The relay's figures are worth having even when the part above failed.
  .finally(benchRelay);
