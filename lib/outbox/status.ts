/**
 * A queued message as its sender sees it (GET /api/v1/notifications/{id}, the answer to POST):
 * state, each attempt with the server's reply and advice, and the result. Never the body.
 */
import { db } from '@/lib/db';
import { pausedStores } from '@/lib/outbox/readiness';
import { FINAL_STATES, type AdviceRecord, type OutboxState } from '@/lib/outbox/types';

export type AttemptView = {
  number: number;
  at: string;
  outcome: string;
  step: string | null;
  reply: ReplyView | null;
  detail: string;
  advice: AdviceRecord | null;
  retryAt: string | null;
};

export type ReplyView = { code: number | null; enhanced?: string; text: string };

export type MessageStatus = {
  id: string;
  messageId: string;
  state: OutboxState;
  kind: string;
  subject: string;
  to: string[];
  cc: string[];
  transport: string;
  createdAt: string;
  sentAt: string | null;
  /** When the next attempt runs (pending messages). */
  nextAttemptAt: string | null;
  /** Why the store's queue is held, if it is. */
  paused: string | null;
  queueId: string | null;
  rejected: { address: string; reply: string }[];
  /** The last failure (or null): step, reply, what went wrong, advice. */
  lastError: { step: string; reply: ReplyView | null; detail: string; advice: AdviceRecord | null } | null;
  attempts: AttemptView[];
};

const parse = <T>(json: string, fallback: T): T => {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

export async function messageStatus(id: string, storeId?: string): Promise<MessageStatus | null> {
  const m = await db.outboxMessage.findFirst({
    where: { id, ...(storeId && { storeId }) },
    select: {
      id: true,
      messageId: true,
      state: true,
      kind: true,
      subject: true,
      toAddresses: true,
      ccAddresses: true,
      transport: true,
      createdAt: true,
      sentAt: true,
      nextAttemptAt: true,
      storeId: true,
      queueId: true,
      rejected: true,
      lastStep: true,
      lastReplyCode: true,
      lastReply: true,
      lastDetail: true,
      lastAdvice: true,
      attemptLog: {
        orderBy: [{ number: 'asc' }, { startedAt: 'asc' }],
        select: {
          number: true,
          startedAt: true,
          outcome: true,
          step: true,
          replyCode: true,
          reply: true,
          detail: true,
          advice: true,
          retryAt: true,
        },
      },
    },
  });
  if (!m) return null;
  const state = m.state as OutboxState;
  const pending = !FINAL_STATES.includes(state);
  const paused = pending ? ((await pausedStores([m.storeId])).get(m.storeId) ?? null) : null;
  // Stored as "5.1.1 User unknown": the enhanced status decides advice, so it is given back as its own field.
  const reply = (code: number | null, text: string) => {
    if (code === null && !text) return null;
    const m = /^(\d\.\d{1,3}\.\d{1,3})\s+([\s\S]*)$/.exec(text);
    return m ? { code, enhanced: m[1], text: m[2] } : { code, text };
  };
  return {
    id: m.id,
    messageId: m.messageId,
    state,
    kind: m.kind,
    subject: m.subject,
    to: parse<string[]>(m.toAddresses, []),
    cc: parse<string[]>(m.ccAddresses, []),
    transport: m.transport,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    nextAttemptAt: pending && !paused ? m.nextAttemptAt.toISOString() : null,
    paused,
    queueId: m.queueId || null,
    rejected: parse(m.rejected, []),
    lastError:
      m.lastStep || (state === 'failed' && m.lastDetail)
        ? {
            step: m.lastStep,
            reply: reply(m.lastReplyCode, m.lastReply),
            detail: m.lastDetail,
            advice: parse<AdviceRecord | null>(m.lastAdvice, null),
          }
        : null,
    attempts: m.attemptLog.map((a) => ({
      number: a.number,
      at: a.startedAt.toISOString(),
      outcome: a.outcome,
      step: a.step || null,
      reply: reply(a.replyCode, a.reply),
      detail: a.detail,
      advice: parse<AdviceRecord | null>(a.advice, null),
      retryAt: a.retryAt?.toISOString() ?? null,
    })),
  };
}

/** Polls `id` until it is final or `ms` have passed (a message may be sent by another process). */
export async function waitUntilFinal(
  id: string,
  ms: number,
  onLocal: (ms: number) => Promise<void>,
): Promise<MessageStatus | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await messageStatus(id);
    if (!s || FINAL_STATES.includes(s.state) || Date.now() >= deadline) return s;
    await onLocal(Math.min(500, deadline - Date.now()));
  }
}
