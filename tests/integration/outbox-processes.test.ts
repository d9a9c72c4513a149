/**
 * The outbox across real processes: a worker killed with SIGKILL in the middle of a send, and two
 * workers sharing one PostgreSQL database. Messages are queued by this test process through the
 * production enqueue path; `npm run worker` processes deliver them to a local SMTP peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { getEnv, resetEnvCache } from '@/lib/env';
import { stopJobEngine } from '@/lib/jobs';
import { enqueue } from '@/lib/outbox/enqueue';
import { peerStore } from '@/tests/support/peer-store';
import { createTestDatabase, postgresUnavailable } from '@/tests/support/postgres';
import { startWorkerProcess, until } from '@/tests/support/processes';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import { applyMigrations } from '@/lib/migrations/migrate';

const FROM = 'helpdesk@example.com';
const PASSWORD = 'process-test-password';
let peer: Peer;

const store = (name: string) => peerStore(name, { port: peer.port, from: FROM, password: PASSWORD }, 'other');
const queue = (storeId: string, subject: string) =>
  enqueue(
    storeId,
    { kind: 'notification', source: 'test' },
    { from: { address: FROM }, to: ['jane@example.org'], subject, text: 'x' },
  );
const workerEnv = () => {
  const env = getEnv();
  // Production refuses to generate keys for an external database: hand over this process's.
  return {
    DATA_DIR: env.DATA_DIR,
    DATABASE_URL: env.DATABASE_URL,
    APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET,
    SMTP_ALLOWED_PORTS: `587,${peer.port}`,
    OUTBOX_LEASE_SECONDS: '5',
  };
};

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [FROM]: PASSWORD } });
});
afterAll(() => peer?.close());

describe('a worker killed in the middle of a send (embedded database)', () => {
  it('the message is delivered after the restart, with the Message-ID it was queued with', async () => {
    const storeId = await store('Crash');
    const q = await queue(storeId, 'Survives a crash');
    // The server takes its time to answer the end of DATA: the process dies while it waits.
    peer.behave({ dataDelayMs: 3_000 });
    const first = startWorkerProcess(workerEnv());
    await until(() => peer.commands.includes('DATA'), 'the first worker to start DATA').catch((e) => {
      console.log(first.logs());
      throw e;
    });
    first.signal('SIGKILL');
    await first.exited;
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } })).state).toBe('sending');

    peer.behave({ dataDelayMs: 0 });
    const second = startWorkerProcess(workerEnv());
    try {
      await until(
        async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } })).state === 'sent',
        'the restarted worker to send it',
        40_000,
      );
    } finally {
      second.signal('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    const arrived = peer.messages.filter((m) => m.headers.subject === 'Survives a crash');
    // The peer had the whole message when the first process died (it only had not answered yet), so
    // it arrives twice here — both times with the same Message-ID, which lets the receiver drop the copy.
    expect(arrived.length).toBeGreaterThanOrEqual(1);
    expect(new Set(arrived.map((m) => m.headers['message-id']))).toEqual(new Set([q.messageId]));
    const attempts = await db.outboxAttempt.findMany({ where: { outboxId: q.id }, orderBy: { number: 'asc' } });
    expect(attempts.map((a) => a.outcome)).toEqual(['interrupted', 'sent']);
  });
});

describe('two workers on one PostgreSQL database', () => {
  let skip: string | null = null;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    skip = await postgresUnavailable('the two-process outbox test');
    if (skip) return;
    const t = await createTestDatabase('mailroom_outbox');
    drop = t.drop;
    await applyMigrations(t.url);
    // This process switches from the embedded database (and its in-process engine) to PostgreSQL and pg-boss.
    await stopJobEngine();
    await db.$disconnect();
    (globalThis as { mailroomDb?: unknown }).mailroomDb = undefined;
    process.env.DATABASE_URL = t.url;
    // Jobs expire after the lease of the process that queued them: the same short lease as the workers'.
    process.env.OUTBOX_LEASE_SECONDS = '5';
    resetEnvCache();
  });
  afterAll(async () => {
    await stopJobEngine();
    await db.$disconnect();
    await drop?.();
    delete process.env.OUTBOX_LEASE_SECONDS;
  });

  it('deliver 300 queued messages: each arrives exactly once, and both processes did part of the work', async () => {
    if (skip) return;
    const storeId = await store('Shared');
    const before = peer.messages.length;
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await queue(storeId, `Shared ${i}`)).messageId);
    const workers = [startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv())];
    try {
      await until(
        async () => (await db.outboxMessage.count({ where: { storeId, state: 'sent' } })) === 300,
        '300 messages sent',
        50_000,
      );
    } finally {
      for (const w of workers) w.signal('SIGTERM');
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes, workers.map((w) => w.logs().slice(-2000)).join('\n')).toEqual([0, 0]);
    }
    // Only these 300: a copy of the previous test's message may still come in from its killed worker.
    const received = peer.messages
      .slice(before)
      .map((m) => m.headers['message-id'])
      .filter((id) => ids.includes(id));
    expect(received).toHaveLength(300);
    expect(new Set(received)).toEqual(new Set(ids));
    const byWorker = await db.outboxAttempt.groupBy({ by: ['worker'], where: { outbox: { storeId } }, _count: true });
    expect(byWorker).toHaveLength(2);
    expect(await db.outboxAttempt.count({ where: { outbox: { storeId } } })).toBe(300);
  });

  it('a send slower than the lease is not sent again by the other process: the sender renews its lease', async () => {
    if (skip) return;
    const storeId = await store('Slow server');
    // The server answers the end of DATA after 9 s, past the 5 s lease and the job's expiry.
    peer.behave({ dataDelayMs: 9_000 });
    const before = peer.messages.length;
    const q = await queue(storeId, 'Slower than the lease');
    const workers = [startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv())];
    try {
      await until(
        async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } })).state === 'sent',
        'the slow message sent',
        40_000,
      );
      // Long enough for the other process to see the expired job again and act on it if it would.
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      peer.behave({ dataDelayMs: 0 });
      for (const w of workers) w.signal('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
    const arrived = peer.messages.slice(before).filter((m) => m.headers.subject === 'Slower than the lease');
    expect(arrived).toHaveLength(1);
    const attempts = await db.outboxAttempt.findMany({ where: { outboxId: q.id } });
    expect(attempts.map((a) => a.outcome)).toEqual(['sent']);
  });
});
