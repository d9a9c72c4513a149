/**
 * The Queue's actions on PostgreSQL, where pg-boss hands out the attempts: Retry now and Retry all
 * failed commit their jobs with the message's new state, so the worker sends at once (retries
 * here wait a minute), exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/outbox/service';
import type { MessageStatus } from '@/lib/outbox/status';
import type { Background } from '@/lib/runtime/background';
import { createTestDatabase, postgresUnavailable } from '@/tests/support/postgres';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const unavailable = await postgresUnavailable('the Queue actions on PostgreSQL');
const FROM = 'helpdesk@example.com';
const PASSWORD = 'queue-pg-smtp-password';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let drop: () => Promise<void> = async () => undefined;
let peer: Peer;
let worker: Background;
let admin: Actor;

describe.skipIf(unavailable)('Queue actions on PostgreSQL (pg-boss)', () => {
  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase('mailroom_queue'));
    const { applyMigrations } = await import('@/lib/migrations/migrate');
    await applyMigrations(url);
    process.env.DATABASE_URL = url;
    peer = await startSmtpPeer({ users: { [FROM]: PASSWORD } });
    process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
    (await import('@/lib/env')).resetEnvCache();
    delete (globalThis as { mailroomDb?: unknown }).mailroomDb;
    const { createUser } = await import('@/lib/users/service');
    admin = {
      user: await createUser({ email: 'pg-admin@example.com', name: 'PG', password: 'a-long-enough-password', role: 'admin' }),
      ip: '192.0.2.8',
    };
    const { startTestWorker } = await import('@/tests/support/outbox');
    worker = await startTestWorker(60);
  });
  afterAll(async () => {
    await worker?.stop(5_000);
    await peer?.close();
    const { db } = await import('@/lib/db');
    await db.$disconnect();
    await drop();
  });

  it('Retry now and Retry all failed send at once, each message exactly once', async () => {
    const { getJobEngine } = await import('@/lib/jobs');
    expect((await getJobEngine()).kind).toBe('pg-boss');
    const { peerStore } = await import('@/tests/support/peer-store');
    const { enqueue } = await import('@/lib/outbox/enqueue');
    const { messageStatus, waitUntilFinal } = await import('@/lib/outbox/status');
    const { retryNow, retryAllFailed } = await import('@/lib/outbox/service');

    const storeId = await peerStore('On pg-boss', { port: peer.port, from: FROM, password: PASSWORD }, 'other');
    const queue = (subject: string) =>
      enqueue(
        storeId,
        { kind: 'notification', source: 'test' },
        { from: { address: FROM }, to: ['jane@example.org'], subject, text: subject },
      );
    const settle = (id: string) => waitUntilFinal(id, 20_000, sleep) as Promise<MessageStatus>;
    const until = async (id: string, state: string) => {
      for (let i = 0; i < 200 && (await messageStatus(id))?.state !== state; i++) await sleep(100);
      return messageStatus(id);
    };

    peer.behave({ dataRepliesOnce: [{ code: 421, text: '4.3.2 Service not available, try again later' }] });
    const busy = await queue('Busy on pg-boss');
    expect((await until(busy.id, 'retrying'))?.state).toBe('retrying');
    await retryNow(busy.id, admin, storeId);
    expect((await settle(busy.id)).state).toBe('sent');

    const refused = { code: 550, text: '5.7.60 SMTP; Client does not have permissions to send as this sender' };
    peer.behave({ dataRepliesOnce: [refused, refused] });
    const a = await queue('Failed A');
    const b = await queue('Failed B');
    expect((await settle(a.id)).state).toBe('failed');
    expect((await settle(b.id)).state).toBe('failed');
    expect(await retryAllFailed(admin, storeId)).toBe('2 failed messages are being sent again.');
    expect((await settle(a.id)).state).toBe('sent');
    expect((await settle(b.id)).state).toBe('sent');

    await sleep(1_000);
    for (const subject of ['Busy on pg-boss', 'Failed A', 'Failed B'])
      expect(peer.messages.filter((m) => m.headers.subject === subject)).toHaveLength(1);
  });

  it("the Queue's recipient and subject filters match whatever the case, as on SQLite", async () => {
    const { getQueueList } = await import('@/lib/outbox/queries');
    const rows = async (filter: { recipient?: string; subject?: string }) =>
      (await getQueueList(filter)).rows.map((r) => r.subject).sort();
    expect(await rows({ subject: 'failed' })).toEqual(['Failed A', 'Failed B']);
    expect(await rows({ subject: 'BUSY ON' })).toEqual(['Busy on pg-boss']);
    expect(await rows({ recipient: 'JANE@EXAMPLE', subject: 'failed a' })).toEqual(['Failed A']);
    expect(await rows({ recipient: 'nobody@' })).toEqual([]);
  });
});
