/**
 * The outbox on the embedded database: messages queued through the real enqueue path, delivered
 * by the worker to real local peers (an SMTP server that refuses, then recovers; a Graph stand-in
 * that throttles), with the retries, failures, throttling and retention an admin relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { enqueue } from '@/lib/outbox/enqueue';
import { applyRetention } from '@/lib/outbox/retention';
import { messageStatus, waitUntilFinal, type MessageStatus } from '@/lib/outbox/status';
import type { Background } from '@/lib/runtime/background';
import type { GraphTestServer } from '@/tests/support/graph-server';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { connectedGraphStore, startAppOnlyGraph, startTestWorker } from '@/tests/support/outbox';
import { peerStore } from '@/tests/support/peer-store';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const PASSWORD = 'outbox-smtp-password';
const FROM = 'helpdesk@example.com';
let peer: Peer;
let worker: Background;
let oauth: OAuthTestServer;
let graph: GraphTestServer;
let graphSide: Awaited<ReturnType<typeof startAppOnlyGraph>>;

const origin = { kind: 'notification' as const, source: 'test' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const settle = (id: string, ms = 20_000) => waitUntilFinal(id, ms, sleep) as Promise<MessageStatus>;

async function smtpStore(name: string, extra: Record<string, unknown> = {}) {
  const storeId = await peerStore(name, { port: peer.port, from: FROM, password: PASSWORD });
  if (Object.keys(extra).length) await db.notificationProfile.update({ where: { storeId }, data: extra });
  return storeId;
}

const queue = (storeId: string, subject: string, to = ['jane@example.org']) =>
  enqueue(storeId, origin, { from: { address: FROM, name: 'IT Helpdesk' }, to, subject, text: `Body of ${subject}` });

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [FROM]: PASSWORD }, queueId: 'OBX1' });
  graphSide = await startAppOnlyGraph('graph-secret');
  ({ oauth, graph } = graphSide);
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  // Store limits count per 2 s here instead of per minute, so the throttle test takes seconds.
  process.env.OUTBOX_RATE_WINDOW_SECONDS = '2';
  resetEnvCache();
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop(5_000);
  await Promise.all([peer?.close(), graphSide?.close()]);
});

describe('retries that follow the server', () => {
  it('a 432 "too many connections" is retried, then the message arrives once with the Message-ID it was queued with', async () => {
    const storeId = await smtpStore('Retry');
    peer.behave({
      dataRepliesOnce: [
        { code: 432, text: '4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending' },
      ],
    });
    const q = await queue(storeId, 'Retried once');
    const s = await settle(q.id);
    expect(s.state).toBe('sent');
    expect(s.attempts.map((a) => a.outcome)).toEqual(['temporary', 'sent']);
    expect(s.attempts[0]).toMatchObject({
      step: 'data',
      reply: { code: 432, enhanced: '4.3.2' },
      advice: { id: 'ms-432-4.3.2-connections' },
    });
    expect(s.attempts[0].retryAt).not.toBeNull();
    const arrived = peer.messages.filter((m) => m.headers.subject === 'Retried once');
    expect(arrived).toHaveLength(1);
    expect(arrived[0].headers['message-id']).toBe(q.messageId);
    expect(await db.deliveryLog.count({ where: { outboxId: q.id, ok: true } })).toBe(1);
  });

  it('a permanent refusal (550 5.7.60) fails at once, with the step, the reply and the advice', async () => {
    const storeId = await smtpStore('Refused');
    peer.behave({
      dataRepliesOnce: [{ code: 550, text: '5.7.60 SMTP; Client does not have permissions to send as this sender' }],
    });
    const s = await settle((await queue(storeId, 'Not allowed')).id);
    expect(s.state).toBe('failed');
    expect(s.attempts).toHaveLength(1);
    expect(s.lastError).toMatchObject({
      step: 'data',
      reply: { code: 550, enhanced: '5.7.60' },
      advice: { id: 'ms-550-5.7.60' },
    });
    expect(await db.deliveryLog.findFirstOrThrow({ where: { storeId } })).toMatchObject({
      ok: false,
      failedStep: 'data',
      replyCode: 550,
      adviceId: 'ms-550-5.7.60',
      kind: 'notification',
    });
  });

  it('gives up after the store’s attempt limit', async () => {
    const storeId = await smtpStore('Always busy', { maxAttempts: 3 });
    const busy = { code: 451, text: '4.3.0 Mail server temporarily rejected message' };
    peer.behave({ dataRepliesOnce: [busy, busy, busy] });
    const s = await settle((await queue(storeId, 'Never accepted')).id);
    expect(s.state).toBe('failed');
    expect(s.attempts.map((a) => a.outcome)).toEqual(['temporary', 'temporary', 'permanent']);
    expect(s.lastError?.detail).toMatch(/Gave up after 3 attempts/);
  });

  it('a message with a header injection or a bad address is refused before anything is queued', async () => {
    const storeId = await smtpStore('Refused early');
    await expect(queue(storeId, 'Hi\r\nBcc: x@evil.example')).rejects.toThrow(/line break/);
    await expect(queue(storeId, 'ok', ['not-an-address'])).rejects.toThrow(/not a valid email address/);
    expect(await db.outboxMessage.count({ where: { storeId } })).toBe(0);
  });
});

describe('Microsoft Graph', () => {
  it('a 429 with Retry-After is waited out, then the message is sent', async () => {
    const storeId = await connectedGraphStore('Graph', {
      oauth,
      graph,
      from: FROM,
      secret: 'graph-secret',
      actor: 'ann@example.com',
    });

    graph.failNext({
      status: 429,
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
      retryAfter: 2,
    });
    const started = Date.now();
    const q = await queue(storeId, 'Through Graph');
    const s = await settle(q.id);
    expect(s.state).toBe('sent');
    expect(s.transport).toBe('graph');
    expect(s.attempts[0]).toMatchObject({
      outcome: 'temporary',
      step: 'request',
      reply: { code: 429 },
      advice: { id: 'graph-429-throttled' },
    });
    // Retry-After: 2 is longer than the first backoff (0.2 s here), so the retry waited for it.
    expect(new Date(s.attempts[1].at).getTime() - new Date(s.attempts[0].at).getTime()).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(graph.messages.at(-1)?.message.subject).toBe('Through Graph');
  });
});

describe('throttling', () => {
  it('with a limit of 4 per window, no window at the peer ever holds more than 4 messages', async () => {
    const storeId = await smtpStore('Throttled', { sendPerMinute: 4 });
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await queue(storeId, `Paced ${i}`)).id);
    for (const id of ids) expect((await settle(id)).state).toBe('sent');
    const times = peer.messages
      .filter((m) => m.headers.subject?.startsWith('Paced '))
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(10);
    const windowMs = 2_000;
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
    expect(busiest).toBeLessThanOrEqual(4);
    // …and the limit is used, not just respected: 10 messages at 4 per 2 s take about 4.5 s.
    expect(times.at(-1)! - times[0]).toBeLessThan(7_000);
  });
});

describe('retention', () => {
  it('drops the bodies of old sent messages, then the messages; failed ones stay until handled', async () => {
    const storeId = await smtpStore('Retention');
    const sent = await settle((await queue(storeId, 'Old news')).id);
    peer.behave({ dataRepliesOnce: [{ code: 554, text: '5.7.1 Rejected' }] });
    const failed = await settle((await queue(storeId, 'Old failure')).id);
    expect([sent.state, failed.state]).toEqual(['sent', 'failed']);
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    await db.outboxMessage.updateMany({
      where: { id: { in: [sent.id, failed.id] } },
      data: { finishedAt: days(8), createdAt: days(8) },
    });
    await applyRetention();
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({
      bodyEnc: null,
      bodyPurgedAt: expect.any(Date),
    });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: failed.id } })).bodyEnc).not.toBeNull();
    await db.outboxMessage.updateMany({ where: { id: { in: [sent.id, failed.id] } }, data: { finishedAt: days(91) } });
    await applyRetention();
    expect(await messageStatus(sent.id)).toBeNull();
    expect((await messageStatus(failed.id))?.state).toBe('failed');
  });
});
