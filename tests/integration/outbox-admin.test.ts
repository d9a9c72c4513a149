/**
 * What an admin does on the Queue page, against the real outbox: messages queued through the real
 * enqueue path, delivered by the worker to a local SMTP peer that refuses and then recovers.
 * Retry now, Cancel, Delete and Retry all failed change the message as the admin expects, never
 * race a send in progress, and each one lands in the activity log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { enqueue } from '@/lib/outbox/enqueue';
import { getQueueList, getQueueMessage, getQueueSummary, getDeliveryLimits } from '@/lib/outbox/queries';
import {
  cancelMessage,
  deleteMessage,
  readMessageBody,
  retryAllFailed,
  retryNow,
  saveDeliveryLimits,
  type Actor,
} from '@/lib/outbox/service';
import { messageStatus, waitUntilFinal, type MessageStatus } from '@/lib/outbox/status';
import type { Background } from '@/lib/runtime/background';
import { getOverview } from '@/lib/overview/queries';
import { createUser } from '@/lib/users/service';
import { deliveryLimitsSchema } from '@/lib/validation/outbox';
import { startTestWorker } from '@/tests/support/outbox';
import { peerStore } from '@/tests/support/peer-store';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const PASSWORD = 'queue-admin-smtp-password';
const FROM = 'helpdesk@example.com';
const BUSY = { code: 451, text: '4.3.0 Mail server temporarily rejected message' };
const REFUSED = { code: 550, text: '5.7.60 SMTP; Client does not have permissions to send as this sender' };

let peer: Peer;
let worker: Background;
let admin: Actor;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const settle = (id: string, ms = 20_000) => waitUntilFinal(id, ms, sleep) as Promise<MessageStatus>;
const arrived = (subject: string) => peer.messages.filter((m) => m.headers.subject === subject);

/** Polls until the message has made `attempts` attempts and is in `state`. */
async function waitFor(id: string, state: string, attempts: number): Promise<MessageStatus> {
  for (let i = 0; i < 200; i++) {
    const s = await messageStatus(id);
    if (s && s.state === state && s.attempts.length >= attempts) return s;
    await sleep(100);
  }
  throw new Error(`message ${id} never reached ${state} after ${attempts} attempts: ${JSON.stringify(await messageStatus(id))}`);
}

const smtpStore = (name: string) => peerStore(name, { port: peer.port, from: FROM, password: PASSWORD });

const queue = (storeId: string, subject: string, to = ['jane@example.org']) =>
  enqueue(
    storeId,
    { kind: 'notification', source: 'API key “helpdesk”' },
    { from: { address: FROM }, to, subject, text: `Body of ${subject}` },
  );

const auditOf = (action: string) =>
  db.auditEvent.findMany({
    where: { action },
    orderBy: { createdAt: 'asc' },
    select: { actorEmail: true, details: true, target: true },
  });

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [FROM]: PASSWORD }, queueId: 'QADM' });
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  resetEnvCache();
  const user = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'a-long-enough-password', role: 'admin' });
  admin = { user, ip: '192.0.2.7' };
  // Retries wait a minute here: a message only goes out again sooner because of Retry now.
  worker = await startTestWorker(60);
});
afterAll(async () => {
  await worker?.stop(5_000);
  await peer?.close();
});

describe('Retry now', () => {
  it('sends a retrying message at once instead of after its backoff, with the Message-ID it was queued with', async () => {
    const storeId = await smtpStore('Retry now');
    peer.behave({ dataRepliesOnce: [BUSY] });
    const q = await queue(storeId, 'Busy once');
    const waiting = await waitFor(q.id, 'retrying', 1);
    expect(new Date(waiting.nextAttemptAt!).getTime()).toBeGreaterThan(Date.now() + 30_000);

    const note = await retryNow(q.id, admin, storeId);
    expect(note).toMatch(/being sent again/);
    const s = await settle(q.id);
    expect(s.state).toBe('sent');
    expect(s.attempts.map((a) => a.outcome)).toEqual(['temporary', 'sent']);
    expect(arrived('Busy once')).toHaveLength(1);
    expect(arrived('Busy once')[0].headers['message-id']).toBe(q.messageId);
    const [entry] = await auditOf('outbox.retry');
    expect(entry).toMatchObject({ actorEmail: 'ann@example.com', target: 'Retry now' });
    expect(JSON.parse(entry.details)).toMatchObject({ message: q.id, subject: 'Busy once', from: 'retrying' });
  });

  it('gives a failed message one more attempt; a sent one is never sent again', async () => {
    const storeId = await smtpStore('Retry failed one');
    peer.behave({ dataRepliesOnce: [REFUSED] });
    const q = await queue(storeId, 'Refused, then allowed');
    expect((await settle(q.id)).state).toBe('failed');

    await retryNow(q.id, admin, storeId);
    expect((await settle(q.id)).state).toBe('sent');
    expect(arrived('Refused, then allowed')).toHaveLength(1);

    await expect(retryNow(q.id, admin, storeId)).rejects.toThrow(/already sent/);
    await sleep(300);
    expect(arrived('Refused, then allowed')).toHaveLength(1);
  });

  it("a store's page cannot act on another store's message", async () => {
    const a = await smtpStore('Store A');
    const b = await smtpStore('Store B');
    peer.behave({ dataRepliesOnce: [REFUSED] });
    const q = await queue(a, 'Belongs to A');
    expect((await settle(q.id)).state).toBe('failed');
    await expect(retryNow(q.id, admin, b)).rejects.toThrow(/no longer in the queue/);
    await expect(deleteMessage(q.id, admin, b)).rejects.toThrow(/no longer in the queue/);
    expect((await messageStatus(q.id))?.state).toBe('failed');
  });
});

describe('Retry all failed', () => {
  it('sends every failed message of the store again, and only that store’s', async () => {
    const storeId = await smtpStore('Many failed');
    const other = await smtpStore('Other store');
    peer.behave({ dataRepliesOnce: [REFUSED, REFUSED, REFUSED] });
    const ids = [];
    for (const subject of ['Failed 1', 'Failed 2', 'Failed 3']) {
      const q = await queue(subject === 'Failed 3' ? other : storeId, subject);
      expect((await settle(q.id)).state).toBe('failed');
      ids.push(q.id);
    }
    const note = await retryAllFailed(admin, storeId);
    expect(note).toBe('2 failed messages are being sent again.');
    expect((await settle(ids[0])).state).toBe('sent');
    expect((await settle(ids[1])).state).toBe('sent');
    expect((await messageStatus(ids[2]))?.state).toBe('failed');
    expect(arrived('Failed 3')).toHaveLength(0);
    const entries = await auditOf('outbox.retry_failed');
    expect(entries.at(-1)).toMatchObject({ target: 'Many failed' });
    expect(JSON.parse(entries.at(-1)!.details)).toEqual({ messages: 2 });
    expect(await retryAllFailed(admin, storeId)).toBe('There are no failed messages to retry.');
  });
});

describe('Cancel and Delete', () => {
  it('a cancelled message is never sent, even when its retry comes due', async () => {
    const storeId = await smtpStore('Cancel');
    peer.behave({ dataRepliesOnce: [BUSY] });
    const q = await queue(storeId, 'Cancelled while retrying');
    await waitFor(q.id, 'retrying', 1);
    expect(await cancelMessage(q.id, admin, storeId)).toMatch(/will not be sent/);
    // Even if the job came due now, the worker finds nothing to send.
    await db.outboxMessage.update({ where: { id: q.id }, data: { nextAttemptAt: new Date() } });
    await sleep(600);
    const s = await messageStatus(q.id);
    expect(s?.state).toBe('cancelled');
    expect(s?.attempts).toHaveLength(1);
    expect(arrived('Cancelled while retrying')).toHaveLength(0);
    await expect(retryNow(q.id, admin, storeId)).rejects.toThrow(/cancelled/);
    await expect(cancelMessage(q.id, admin, storeId)).rejects.toThrow(/already cancelled/);
    expect(await auditOf('outbox.cancel')).toHaveLength(1);
  });

  it('a message being sent right now can be neither cancelled nor deleted; it is delivered once', async () => {
    const storeId = await smtpStore('In flight');
    peer.behave({ dataDelayMs: 1_500 });
    const q = await queue(storeId, 'Slow server');
    await waitFor(q.id, 'sending', 0);
    await expect(cancelMessage(q.id, admin, storeId)).rejects.toThrow(/being sent right now/);
    await expect(deleteMessage(q.id, admin, storeId)).rejects.toThrow(/being sent right now/);
    await expect(retryNow(q.id, admin, storeId)).rejects.toThrow(/being sent right now/);
    peer.behave({ dataDelayMs: 0 });
    expect((await settle(q.id)).state).toBe('sent');
    expect(arrived('Slow server')).toHaveLength(1);
  });

  it('Delete removes the message and its attempts; the delivery log keeps the record', async () => {
    const storeId = await smtpStore('Delete');
    peer.behave({ dataRepliesOnce: [REFUSED] });
    const q = await queue(storeId, 'To be deleted');
    expect((await settle(q.id)).state).toBe('failed');
    expect(await deleteMessage(q.id, admin, storeId)).toMatch(/no longer in the queue/);
    expect(await db.outboxMessage.count({ where: { id: q.id } })).toBe(0);
    expect(await db.outboxAttempt.count({ where: { outboxId: q.id } })).toBe(0);
    expect(await db.deliveryLog.count({ where: { storeId, ok: false } })).toBe(1);
    const [entry] = await auditOf('outbox.delete');
    expect(JSON.parse(entry.details)).toMatchObject({ message: q.id, subject: 'To be deleted', state: 'failed' });
  });
});

describe('what the Queue page reads', () => {
  it('counts by state, filters, and one message with its attempts and advice; the body only on request, audited', async () => {
    const storeId = await smtpStore('Readings');
    peer.behave({ dataRepliesOnce: [REFUSED] });
    const failed = await queue(storeId, 'Password expires soon', ['bob@example.org']);
    const sent = await queue(storeId, 'Welcome to the group', ['carol@example.org']);
    await settle(failed.id);
    await settle(sent.id);

    const summary = await getQueueSummary(storeId);
    expect(summary.counts).toMatchObject({ failed: 1, sent: 1, queued: 0, retrying: 0, sending: 0, cancelled: 0 });
    expect(summary.oldestPendingAt).toBeNull();

    const bySubject = await getQueueList({ storeId, subject: 'expires' });
    expect(bySubject.rows.map((r) => r.id)).toEqual([failed.id]);
    expect(bySubject.rows[0]).toMatchObject({ state: 'failed', lastReplyCode: 550, recipients: ['bob@example.org'] });
    expect(bySubject.rows[0].adviceTitle).not.toBe('');
    expect((await getQueueList({ storeId, recipient: 'carol@' })).rows.map((r) => r.id)).toEqual([sent.id]);
    expect((await getQueueList({ storeId, recipient: 'CAROL@', subject: 'WELCOME' })).rows.map((r) => r.id)).toEqual([sent.id]);
    expect((await getQueueList({ storeId, state: 'sent' })).total).toBe(1);
    expect((await getQueueList({ storeId, kind: 'relay' })).total).toBe(0);

    const detail = await getQueueMessage(failed.id, storeId);
    expect(detail).toMatchObject({
      messageId: failed.messageId,
      envelopeFrom: FROM,
      recipients: ['bob@example.org'],
      storeName: 'Readings',
      hasBody: true,
      lastError: { step: 'data', reply: { code: 550, enhanced: '5.7.60' }, advice: { id: 'ms-550-5.7.60' } },
    });
    expect(detail?.attempts[0]).toMatchObject({ outcome: 'permanent', step: 'data', advice: { id: 'ms-550-5.7.60' } });
    expect(JSON.stringify(detail)).not.toContain('Body of Password expires soon');

    expect(await readMessageBody(failed.id, admin, storeId)).toEqual({ text: 'Body of Password expires soon' });
    const [entry] = await auditOf('outbox.view_body');
    expect(JSON.parse(entry.details)).toMatchObject({ message: failed.id });
  });

  it('a relayed message shows its MIME source, the start of it when it is large', async () => {
    const storeId = await smtpStore('Relayed');
    const big = 'A'.repeat(300 * 1024);
    const mime = `From: ${FROM}\r\nTo: jane@example.org\r\nSubject: Scanned document\r\nMessage-ID: <scan-1@example.com>\r\n\r\n${big}\r\n`;
    const q = await enqueue(
      storeId,
      { kind: 'relay', source: 'relay user “printer”' },
      {
        raw: Buffer.from(mime),
        envelope: { from: FROM, to: ['jane@example.org'] },
        messageId: '<scan-1@example.com>',
        subject: 'Scanned document',
      },
    );
    expect((await settle(q.id)).state).toBe('sent');
    const body = await readMessageBody(q.id, admin, storeId);
    expect('raw' in body && body.raw.startsWith(`From: ${FROM}\r\nTo: jane@example.org\r\nSubject: Scanned document`)).toBe(true);
    expect('raw' in body && body.raw).toMatch(/… \([\d,]+ more bytes\)$/);
    expect((await getQueueList({ storeId, kind: 'relay' })).rows.map((r) => r.id)).toEqual([q.id]);
  });

  it('the backlog: waiting messages and the oldest one', async () => {
    const storeId = await smtpStore('Backlog');
    peer.behave({ dataRepliesOnce: [BUSY] });
    const q = await queue(storeId, 'Still waiting');
    await waitFor(q.id, 'retrying', 1);
    const summary = await getQueueSummary(storeId);
    expect(summary.counts.retrying).toBe(1);
    expect(summary.oldestPendingAt?.getTime()).toBe(
      (await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } })).createdAt.getTime(),
    );
    await cancelMessage(q.id, admin, storeId);
  });
});

describe('the Overview', () => {
  it('counts the recipients sent in the last 24 hours against the daily limit, and the failed messages', async () => {
    const storeId = await smtpStore('Daily counter');
    await db.notificationProfile.update({ where: { storeId }, data: { dailyRecipientLimit: 5 } });
    for (const subject of ['Two recipients', 'Two more'])
      expect((await settle((await queue(storeId, subject, ['a@example.org', 'b@example.org'])).id)).state).toBe('sent');
    peer.behave({ dataRepliesOnce: [REFUSED] });
    await settle((await queue(storeId, 'Refused on the overview')).id);

    const overview = await getOverview();
    expect(overview.queues.find((q) => q.storeId === storeId)).toMatchObject({
      recipients24h: 4,
      dailyLimit: 5,
      failed: 1,
      pending: 0,
    });
    expect(overview.attention.filter((i) => i.storeId === storeId).map((i) => `${i.severity}: ${i.title}`)).toEqual(
      expect.arrayContaining(['error: 1 message failed', 'warning: Close to the daily recipient limit: 4 of 5']),
    );
  });
});

describe('delivery limits', () => {
  it('saves what changed, shows the provider defaults, and records the change', async () => {
    const storeId = await smtpStore('Limits');
    const before = await getDeliveryLimits(storeId);
    expect(before).toMatchObject({ provider: 'other', values: { sendPerMinute: null, maxAttempts: 8 } });
    const values = deliveryLimitsSchema.parse({
      sendPerMinute: '20',
      maxConnections: '',
      dailyRecipientLimit: '5,000',
      maxAttempts: '4',
    });
    expect(await saveDeliveryLimits(storeId, values, admin)).toEqual(['sendPerMinute', 'dailyRecipientLimit', 'maxAttempts']);
    expect((await getDeliveryLimits(storeId))?.values).toEqual({
      sendPerMinute: 20,
      maxConnections: null,
      dailyRecipientLimit: 5000,
      maxAttempts: 4,
    });
    const [entry] = await auditOf('notifications.limits');
    expect(JSON.parse(entry.details)).toEqual({
      sendPerMinute: { from: null, to: 20 },
      dailyRecipientLimit: { from: null, to: 5000 },
      maxAttempts: { from: 8, to: 4 },
    });
    expect(await saveDeliveryLimits(storeId, values, admin)).toEqual([]);
    expect(await auditOf('notifications.limits')).toHaveLength(1);
  });
});
