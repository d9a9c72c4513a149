/**
 * `npm run bench` (second part): the outbox.
 * 1. Enqueue: POST /api/v1/notifications answered 202, CLIENTS callers at once, against `npm start`
 *    on the embedded SQLite database and on PostgreSQL (skipped when PostgreSQL does not answer).
 * 2. Drain: DRAIN messages queued while no worker runs, then delivered by `npm run worker` through
 *    the store's pooled connections, vs bare pooled nodemailer sending as many with as many
 *    connections; both measured at the sink, from the first message received to the last.
 * 3. Throttle: a store limited to THROTTLE per minute; the rate measured at the sink.
 * Not part of `npm test`; prints the figures README.md quotes.
 */
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { connectTcp } from '@/lib/mail/tcp';
import { buildIfStale } from '@/scripts/build';
import { startApp, type RunningApp } from '@/tests/e2e/support/app';
import { startWorkerProcess, type MailroomProcess } from '@/tests/support/processes';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const ENQUEUE = Number(process.env.BENCH_ENQUEUE ?? 400);
const DRAIN = Number(process.env.BENCH_DRAIN ?? 2000);
const THROTTLE = Number(process.env.BENCH_THROTTLE_PER_MINUTE ?? 600);
const THROTTLED_MESSAGES = Number(process.env.BENCH_THROTTLED_MESSAGES ?? 300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 5);
/** Which parts to run (default all): enqueue, drain (drain and throttle need no console build). */
const PARTS = (process.env.BENCH_PARTS ?? 'enqueue,drain').split(',');
const USER = 'bench@example.com';
const PASS = 'bench-smtp-password';
const ADMIN = 'bench-admin@example.com';

type Lib = Awaited<ReturnType<typeof load>>;

/** The app's modules, loaded after DATA_DIR and DATABASE_URL point at the database under test. */
async function load() {
  const { closeDb } = await import('@/lib/db');
  const { resetEnvCache, getEnv } = await import('@/lib/env');
  const { createUser } = await import('@/lib/users/service');
  const { createStore } = await import('@/lib/stores/service');
  const { saveNotificationSettings } = await import('@/lib/notifications/service');
  const { notificationsSchema } = await import('@/lib/validation/notifications');
  const { notificationsInput } = await import('@/tests/support/notification-values');
  const { createApiKey } = await import('@/lib/api-keys/service');
  const { enqueue } = await import('@/lib/outbox/enqueue');
  const { stopJobEngine } = await import('@/lib/jobs');
  const { db } = await import('@/lib/db');
  return {
    closeDb,
    resetEnvCache,
    getEnv,
    createUser,
    createStore,
    saveNotificationSettings,
    notificationsSchema,
    notificationsInput,
    createApiKey,
    enqueue,
    stopJobEngine,
    db,
  };
}

async function switchDatabase(lib: Lib | undefined, dataDir: string, databaseUrl: string, keys: Record<string, string> = {}) {
  if (lib) {
    await lib.stopJobEngine();
    await lib.closeDb();
  }
  process.env.DATA_DIR = dataDir;
  process.env.DATABASE_URL = databaseUrl;
  Object.assign(process.env, keys);
  const l = lib ?? (await load());
  l.resetEnvCache();
  return l;
}

async function benchStore(lib: Lib, peer: Peer, name: string): Promise<string> {
  const store = await lib.createStore({ name, type: 'other' }, ADMIN);
  const values = lib.notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: USER },
    auth: { smtpUsername: USER, smtpPassword: { mode: 'set', value: PASS } },
  });
  await lib.saveNotificationSettings(store.id, lib.notificationsSchema.parse(values), ADMIN);
  await lib.db.notificationProfile.update({ where: { storeId: store.id }, data: { maxConnections: CONNECTIONS } });
  return store.id;
}

/** CLIENTS callers post ENQUEUE notifications; returns 202s per second. */
async function enqueueRate(app: RunningApp, key: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < ENQUEUE) {
      next++;
      const res = await fetch(`${app.url}/api/v1/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ to: ['inbox@example.com'], subject: 'bench enqueue', text: 'bench' }),
      });
      if (res.status !== 202) throw new Error(`send API answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return ENQUEUE / ((performance.now() - started) / 1000);
}

/** Messages per second at the sink between the first and the last of `count` arriving after `from`. */
async function arrivalRate(peer: Peer, from: number, count: number, what: string, worker?: MailroomProcess): Promise<number> {
  const deadline = Date.now() + 15 * 60_000;
  while (peer.messages.length - from < count) {
    if (Date.now() > deadline || worker?.child.exitCode != null)
      throw new Error(`${what}: only ${peer.messages.length - from} of ${count} arrived\n${worker?.logs() ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const got = peer.messages.slice(from, from + count);
  const seconds = (got[got.length - 1].receivedAt - got[0].receivedAt) / 1000;
  return (count - 1) / seconds;
}

async function main() {
  if (PARTS.includes('enqueue')) buildIfStale('.next-e2e');
  const peer = await startSmtpPeer({ users: { [USER]: PASS } });
  const results: string[] = [];
  let lib: Lib | undefined;
  const appEnv = { SMTP_ALLOWED_PORTS: String(peer.port), SEND_API_PER_MINUTE: '100000', LOG_LEVEL: 'error' };
  try {
    if (PARTS.includes('enqueue')) lib = await benchEnqueue(peer, appEnv, results);
    if (PARTS.includes('drain')) lib = await benchDrain(lib, peer, results);
  } finally {
    await lib?.stopJobEngine();
    await lib?.closeDb();
    await peer.close();
  }
  console.log(`outbox benchmark (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)} at the end):`);
  for (const r of results) console.log(`  ${r}`);
}

async function benchEnqueue(peer: Peer, appEnv: Record<string, string>, results: string[]): Promise<Lib> {
  let lib: Lib | undefined;
  {
    // 1. Enqueue on the embedded database.
    const sqliteApp = await startApp(appEnv);
    try {
      lib = await switchDatabase(lib, sqliteApp.dataDir, sqliteApp.databaseUrl);
      await lib.createUser({ email: ADMIN, password: 'bench admin password', name: 'Bench', role: 'admin' });
      const storeId = await benchStore(lib, peer, 'Enqueue');
      const { key } = await lib.createApiKey(storeId, 'Bench', ADMIN);
      const rate = await enqueueRate(sqliteApp, key);
      results.push(
        `enqueue, embedded SQLite: ${rate.toFixed(0)} accepted (202) per second, ${CLIENTS} callers, ${ENQUEUE} messages`,
      );
    } finally {
      await sqliteApp.stop();
    }

    // 1b. Enqueue on PostgreSQL.
    const { createTestDatabase, postgresUnavailable } = await import('@/tests/support/postgres');
    const skip = await postgresUnavailable('the PostgreSQL enqueue benchmark');
    if (skip) results.push(`enqueue, PostgreSQL: skipped (${skip})`);
    else {
      const pg = await createTestDatabase('mailroom_bench');
      const keys = { APP_ENCRYPTION_KEY: lib.getEnv().APP_ENCRYPTION_KEY, NEXTAUTH_SECRET: lib.getEnv().NEXTAUTH_SECRET };
      const pgApp = await startApp({ ...appEnv, DATABASE_URL: pg.url, ...keys });
      try {
        lib = await switchDatabase(lib, pgApp.dataDir, pg.url, keys);
        await lib.createUser({ email: ADMIN, password: 'bench admin password', name: 'Bench', role: 'admin' });
        const storeId = await benchStore(lib, peer, 'Enqueue');
        const { key } = await lib.createApiKey(storeId, 'Bench', ADMIN);
        const rate = await enqueueRate(pgApp, key);
        results.push(
          `enqueue, PostgreSQL: ${rate.toFixed(0)} accepted (202) per second, ${CLIENTS} callers, ${ENQUEUE} messages`,
        );
      } finally {
        await pgApp.stop();
        await lib.stopJobEngine();
        await lib.closeDb();
        await pg.drop();
      }
    }
  }
  return lib;
}

async function benchDrain(previous: Lib | undefined, peer: Peer, results: string[]): Promise<Lib> {
  let lib = previous;
  {
    // 2. Drain DRAIN queued messages: the outbox worker vs bare pooled nodemailer.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-bench-'));
    const databaseUrl = `file:${path.join(dataDir, 'mailroom.db')}`;
    const { applyMigrations } = await import('@/lib/migrations/migrate');
    await applyMigrations(databaseUrl);
    delete process.env.APP_ENCRYPTION_KEY;
    delete process.env.NEXTAUTH_SECRET;
    lib = await switchDatabase(lib, dataDir, databaseUrl);
    const drainStore = await benchStore(lib, peer, 'Drain');
    const throttledStore = await benchStore(lib, peer, 'Throttled');
    await lib.db.notificationProfile.update({ where: { storeId: throttledStore }, data: { sendPerMinute: THROTTLE } });
    const queueDrain = async (l: Lib) => {
      for (let i = 0; i < DRAIN; i++)
        await l.enqueue(
          drainStore,
          { kind: 'notification', source: 'bench' },
          { from: { address: USER }, to: ['inbox@example.com'], subject: `drain ${i}`, text: 'bench' },
        );
    };
    const env = lib.getEnv();
    const workerEnv = {
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY,
      NEXTAUTH_SECRET: env.NEXTAUTH_SECRET,
      SMTP_ALLOWED_PORTS: String(peer.port),
      LOG_LEVEL: 'error',
    };
    // The worker drains the same queue with each commit setting (lib/db.ts): FULL (the default) and NORMAL.
    const outbox: Record<string, number> = {};
    let from = 0;
    let worker: MailroomProcess;
    for (const sync of ['FULL', 'NORMAL']) {
      await queueDrain(lib);
      from = peer.messages.length;
      worker = startWorkerProcess({ ...workerEnv, SQLITE_SYNCHRONOUS: sync });
      outbox[sync] = await arrivalRate(peer, from, DRAIN, `outbox drain (${sync})`, worker);
      worker.signal('SIGTERM');
      await worker.exited;
    }

    // Bare nodemailer twice: as it comes (Nagle on: each message waits for a delayed ACK) and with
    // TCP_NODELAY, as Mailroom's pool connects (lib/mail/tcp.ts). The ratio is against the second.
    const bareRate = async (noDelay: boolean) => {
      from = peer.messages.length;
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: peer.port,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        auth: { user: USER, pass: PASS },
        pool: true,
        maxConnections: CONNECTIONS,
        maxMessages: Infinity,
        ...(noDelay && {
          // The same socket as Mailroom's pool (lib/mail/tcp.ts).
          getSocket: (_o: unknown, cb: (err: Error | null, s?: { connection: net.Socket }) => void) =>
            void connectTcp({ ip: '127.0.0.1', port: peer.port, timeoutMs: 10_000, where: 'the sink' }).then(
              (connection) => cb(null, { connection }),
              (err: Error) => cb(err),
            ),
        }),
      });
      const sends = Array.from({ length: DRAIN }, (_, i) =>
        transport.sendMail({ from: USER, to: 'inbox@example.com', subject: `bare ${i}`, text: 'bench' }),
      );
      const rate = await arrivalRate(peer, from, DRAIN, `bare nodemailer${noDelay ? ' (TCP_NODELAY)' : ''}`);
      await Promise.all(sends);
      transport.close();
      return rate;
    };
    const bareNagle = await bareRate(false);
    const bare = await bareRate(true);
    results.push(
      `drain ${DRAIN} queued messages, ${CONNECTIONS} pooled connections: bare pooled nodemailer ${bare.toFixed(0)}/s with TCP_NODELAY ` +
        `(${bareNagle.toFixed(0)}/s as it comes, Nagle on); ` +
        Object.entries(outbox)
          .map(
            ([sync, rate]) =>
              `outbox worker (SQLITE_SYNCHRONOUS=${sync}) ${rate.toFixed(0)}/s, ratio ${(rate / bare).toFixed(2)}`,
          )
          .join('; '),
    );

    // 3. Throttle.
    for (let i = 0; i < THROTTLED_MESSAGES; i++)
      await lib.enqueue(
        throttledStore,
        { kind: 'notification', source: 'bench' },
        { from: { address: USER }, to: ['inbox@example.com'], subject: `throttled ${i}`, text: 'bench' },
      );
    from = peer.messages.length;
    worker = startWorkerProcess(workerEnv);
    const throttled = (await arrivalRate(peer, from, THROTTLED_MESSAGES, 'throttled store', worker)) * 60;
    worker.signal('SIGTERM');
    await worker.exited;
    results.push(
      `throttle ${THROTTLE}/min, ${THROTTLED_MESSAGES} messages: measured ${throttled.toFixed(0)}/min (${(((throttled - THROTTLE) / THROTTLE) * 100).toFixed(1)} %)`,
    );
  }
  return lib;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
