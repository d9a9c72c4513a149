/**
 * The SMTP relay under load (part of `npm run bench`, or alone: `tsx scripts/bench-relay.ts`):
 * BENCH_RELAY_CLIENTS (4) concurrent clients each send BENCH_RELAY_MESSAGES (500) messages over
 * STARTTLS + AUTH PLAIN, first straight to a local SMTP sink, then through the relay (listener,
 * outbox on the embedded database, worker) to the same sink. Prints the accept latency (end of
 * DATA → 250) p50/p95 and the end-to-end throughput of both. The relay, the worker and the sink
 * run in this process, as `npm start` runs the relay beside the worker. The clients set
 * TCP_NODELAY (see openClient).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

const CLIENTS = Number(process.env.BENCH_RELAY_CLIENTS ?? 4);
const MESSAGES = Number(process.env.BENCH_RELAY_MESSAGES ?? 500);
const FROM = 'bench@example.com';
const SINK_PASSWORD = 'bench-sink-password';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

type Client = { conn: SMTPConnection };

async function openClient(port: number, user: string, pass: string): Promise<Client> {
  const conn = new SMTPConnection({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    name: 'bench.client',
    tls: { rejectUnauthorized: false },
  });
  await new Promise<void>((resolve, reject) => {
    conn.once('error', reject);
    conn.connect(() => resolve());
  });
  await new Promise<void>((resolve, reject) => conn.login({ user, pass }, (err) => (err ? reject(err) : resolve())));
  // Without TCP_NODELAY the message's last line waits for the server's delayed ACK (40 ms on Linux)
  // on every message, which would measure the kernel, not the relay.
  (conn as unknown as { _socket?: { setNoDelay: (on: boolean) => void } })._socket?.setNoDelay(true);
  return { conn };
}

function message(tag: string, i: number): Buffer {
  return Buffer.from(
    [
      `From: "Bench" <${FROM}>`,
      'To: inbox@example.org',
      `Subject: ${tag} ${i}`,
      `Message-ID: <${tag}-${i}-${process.pid}-${Date.now()}@example.com>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your password expires in 3 days. Change it at https://portal.example.com before it does.',
      'x'.repeat(1500),
      '',
    ].join('\r\n'),
  );
}

/** Sends one message; the accept latency runs from the end of the message data to the server's 250. */
function sendOne(c: Client, raw: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let endedAt = 0;
    const source = Readable.from([raw]);
    source.on('end', () => (endedAt = performance.now()));
    c.conn.send({ from: FROM, to: ['inbox@example.org'] }, source, (err) => {
      if (err) reject(err);
      else resolve(performance.now() - endedAt);
    });
  });
}

async function run(tag: string, port: number, user: string, pass: string): Promise<{ latencies: number[]; ms: number }> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => openClient(port, user, pass)));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, n) => {
      for (let i = 0; i < MESSAGES; i++) latencies.push(await sendOne(c, message(tag, n * MESSAGES + i)));
    }),
  );
  const ms = performance.now() - started;
  for (const c of clients) c.conn.quit();
  return { latencies, ms };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-bench-relay-'));
  Object.assign(process.env, {
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'mailroom.db')}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  delete process.env.APP_ENCRYPTION_KEY;
  delete process.env.NEXTAUTH_SECRET;
  delete process.env.REDIS_URL;
  const { startSmtpPeer } = await import('@/tests/support/smtp-peer');
  const sink = await startSmtpPeer({ users: { [FROM]: SINK_PASSWORD } });
  process.env.SMTP_ALLOWED_PORTS = String(sink.port);

  const { applyMigrations } = await import('@/lib/migrations/migrate');
  await applyMigrations(process.env.DATABASE_URL!);
  const { db } = await import('@/lib/db');
  const { createStore } = await import('@/lib/stores/service');
  const { saveNotificationSettings } = await import('@/lib/notifications/service');
  const { notificationsSchema } = await import('@/lib/validation/notifications');
  const { notificationsInput } = await import('@/tests/support/notification-values');
  const { createRelayCredential } = await import('@/lib/relay/credentials');
  const { startRelay } = await import('@/lib/relay/server');
  const { startBackground } = await import('@/lib/runtime/background');

  const store = await createStore({ name: 'Bench', type: 'other' }, 'bench');
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: sink.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: FROM },
    auth: { smtpUsername: FROM, smtpPassword: { mode: 'set', value: SINK_PASSWORD } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'bench');
  // No throttle: the comparison is the relay's own cost, not a store's sending limit.
  await db.notificationProfile.update({
    where: { storeId: store.id },
    data: { sendPerMinute: 1_000_000, maxConnections: CLIENTS },
  });
  const cred = await createRelayCredential(store.id, { username: 'bench', sources: [], fromPolicy: 'refuse' }, 'bench');

  const background = await startBackground({ periodic: false });
  const relay = await startRelay({
    ports: [{ port: 0, implicitTls: false }],
    hostname: 'localhost',
    dataDir: dir,
    allowPlainAuth: false,
    maxMessageBytes: 25 * 1024 * 1024,
    authFailures: 5,
  });
  const status = relay.status();
  if (status.state !== 'listening') throw new Error(`relay not listening: ${JSON.stringify(status)}`);
  const relayPort = status.listeners[0].port;

  try {
    const total = CLIENTS * MESSAGES;
    const direct = await run('direct', sink.port, FROM, SINK_PASSWORD);

    const before = sink.messages.length;
    const started = performance.now();
    const relayed = await run('relayed', relayPort, cred.username, cred.password);
    const deadline = Date.now() + 10 * 60_000;
    while (sink.messages.length - before < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const endToEndMs = performance.now() - started;
    const delivered = sink.messages.length - before;

    const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
    const directRate = total / direct.ms;
    const relayRate = delivered / endToEndMs;
    console.log(`relay: ${CLIENTS} clients × ${MESSAGES} messages, STARTTLS + AUTH PLAIN, embedded SQLite, sink on 127.0.0.1`);
    console.log(
      `straight to the sink: ${rate(total, direct.ms)} msg/s; 250 after end of DATA p50 ${percentile(direct.latencies, 50).toFixed(1)} ms, p95 ${percentile(direct.latencies, 95).toFixed(1)} ms`,
    );
    console.log(
      `through the relay: accept (end of DATA → 250) p50 ${percentile(relayed.latencies, 50).toFixed(1)} ms, p95 ${percentile(relayed.latencies, 95).toFixed(1)} ms; accepted ${rate(total, relayed.ms)} msg/s`,
    );
    console.log(
      `through the relay, end to end (first submission → last message at the sink): ${rate(delivered, endToEndMs)} msg/s, ${delivered}/${total} delivered`,
    );
    console.log(`throughput ratio (relay end to end / direct): ${(relayRate / directRate).toFixed(2)}`);
    if (delivered < total) process.exitCode = 1;
  } finally {
    await relay.stop(1_000);
    await background.stop(5_000);
    await sink.close();
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
