/**
 * One delivery attempt: claim the message (so no other worker sends it), send it through the
 * store's connection, then record what happened in one transaction: the message's new state, the
 * attempt with the server's reply and advice, the delivery log once it is final, and the next
 * attempt's job when there is one.
 */
import { openSecret } from '@/lib/crypto';
import { logger } from '@/lib/log';
import { db } from '@/lib/db';
import { countSend } from '@/lib/metrics';
import type { JobEngine, Tx } from '@/lib/jobs';
import type { AttemptResult, PoolMessage } from '@/lib/mail/smtp-pool';
import { isQuotaFailure, outcomeOf, QUOTA_RETRY_SECONDS, retryDelayMs, type RetryPolicy } from '@/lib/outbox/retry';
import { pauseReason } from '@/lib/outbox/readiness';
import { messageSettled } from '@/lib/outbox/signals';
import type { AttemptOutcome, OutboxState, StoredBody } from '@/lib/outbox/types';

export type AttemptContext = {
  engine: JobEngine;
  /** host:pid of this process, recorded with the attempt and the lease. */
  worker: string;
  leaseMs: number;
  retry: RetryPolicy;
  maxAttempts: number;
  transport: 'smtp' | 'graph';
  send: (message: PoolMessage) => Promise<AttemptResult>;
  /** Runs once the message is claimed, right before it is sent (a throttled store waits here for its turn). */
  beforeSend?: () => Promise<void>;
};

const ROW_SELECT = {
  id: true,
  storeId: true,
  kind: true,
  source: true,
  clientAddress: true,
  state: true,
  attempts: true,
  nextAttemptAt: true,
  leaseUntil: true,
  messageId: true,
  envelopeFrom: true,
  recipients: true,
  toAddresses: true,
  ccAddresses: true,
  subject: true,
  bodyEnc: true,
} as const;

type Row = NonNullable<Awaited<ReturnType<typeof readRow>>>;
const readRow = (id: string) => db.outboxMessage.findUnique({ where: { id }, select: ROW_SELECT });

/** Moves a due message to "sending" under this process's lease; null when it is not ours to send. */
async function claim(
  outboxId: string,
  ctx: AttemptContext,
  now: Date,
): Promise<{ row: Row; attempt: number; interrupted: boolean } | { heldUntil: Date } | null> {
  const lease = { leaseOwner: ctx.worker, leaseUntil: new Date(now.getTime() + ctx.leaseMs) };
  // The usual case in one statement: a queued or retrying message that is due becomes ours.
  const [taken] = await db.outboxMessage.updateManyAndReturn({
    where: { id: outboxId, state: { in: ['queued', 'retrying'] }, nextAttemptAt: { lte: now } },
    data: { state: 'sending', attempts: { increment: 1 }, ...lease },
    select: ROW_SELECT,
  });
  if (taken) return { row: taken, attempt: taken.attempts, interrupted: false };
  const row = await readRow(outboxId);
  if (!row) return null;
  const due = (row.state === 'queued' || row.state === 'retrying') && row.nextAttemptAt <= now;
  const cutOff = row.state === 'sending' && row.leaseUntil !== null && row.leaseUntil < now;
  if (row.state === 'sending' && row.leaseUntil && !cutOff) return { heldUntil: row.leaseUntil };
  if (!due && !cutOff) {
    logger.debug({ outboxId, state: row.state, nextAttemptAt: row.nextAttemptAt, now }, 'outbox: not due, not claimed');
    return null;
  }
  // Compare-and-swap on the attempt counter (and, for a cut-off send, on its lease still being
  // expired: its owner may have renewed it meanwhile): of two workers holding the row, one wins.
  const won = await db.outboxMessage.updateMany({
    where: { id: outboxId, state: row.state, attempts: row.attempts, ...(cutOff && { leaseUntil: { lt: now } }) },
    data: { state: 'sending', attempts: row.attempts + 1, ...lease },
  });
  return won.count === 1 ? { row, attempt: row.attempts + 1, interrupted: cutOff } : null;
}

function wireMessage(row: {
  id: string;
  messageId: string;
  envelopeFrom: string;
  recipients: string;
  toAddresses: string;
  ccAddresses: string;
  subject: string;
  bodyEnc: string | null;
}): PoolMessage {
  if (!row.bodyEnc) throw new Error('The message body was purged before it was sent.');
  const body = JSON.parse(openSecret(row.id, 'body', row.bodyEnc)) as StoredBody & { fromName?: string };
  if ('raw' in body)
    return {
      messageId: row.messageId,
      raw: Buffer.from(body.raw, 'base64'),
      envelope: { from: row.envelopeFrom, to: JSON.parse(row.recipients) as string[] },
    };
  return {
    messageId: row.messageId,
    fields: {
      from: { name: body.fromName ?? '', address: row.envelopeFrom },
      to: JSON.parse(row.toAddresses) as string[],
      cc: JSON.parse(row.ccAddresses) as string[],
      subject: row.subject,
      text: body.text,
      ...(body.html && { html: body.html }),
    },
  };
}

/** Runs one attempt of `outboxId` if it is due and nobody else holds it. */
export async function attemptDelivery(
  outboxId: string,
  ctx: AttemptContext,
): Promise<{ outcome: AttemptOutcome; durationMs: number; finishedAt: number } | null> {
  const startedAt = new Date();
  const claimed = await claim(outboxId, ctx, startedAt);
  if (!claimed) return null;
  if ('heldUntil' in claimed) {
    // Another process is sending it and renews its lease while it does. This job was handed out
    // again because the send outlasted the job's own expiry: keep one job for the message at the
    // lease's end, so it is picked up if that process dies, and is only acknowledged if it finishes.
    const row = await readRow(outboxId);
    if (row) await ctx.engine.scheduleDelivery(row.storeId, outboxId, new Date(claimed.heldUntil.getTime() + 1_000));
    return null;
  }
  const { row } = claimed;
  if (claimed.interrupted) {
    await db.outboxAttempt.create({
      data: {
        outboxId,
        number: claimed.attempt - 1,
        startedAt,
        durationMs: 0,
        outcome: 'interrupted',
        detail:
          'The process sending this message stopped before it finished; the message is sent again with the same Message-ID.',
        worker: ctx.worker,
      },
    });
  }

  let result: AttemptResult;
  let finishedAt = Date.now();
  try {
    await ctx.beforeSend?.();
    result = await ctx.send(wireMessage(row));
    finishedAt = Date.now();
  } catch (err) {
    result = {
      ok: false,
      step: 'connect',
      errorCode: 'EINTERNAL',
      detail: err instanceof Error ? err.message : String(err),
      advice: {
        id: 'internal',
        title: 'Mailroom could not send this message',
        detail: 'See the server log; the message stays in the queue.',
      },
      durationMs: 0,
    };
  }

  const outcome: AttemptOutcome = result.ok
    ? 'sent'
    : outcomeOf({
        step: result.step,
        errorCode: result.errorCode,
        code: result.reply?.code,
        text: [result.reply?.enhanced, result.reply?.text, result.detail].filter(Boolean).join(' '),
        retryAfterSeconds: result.retryAfterSeconds,
        needsReconnect: ['token', 'auth'].includes(result.step) && (await needsReconnect(row.storeId)),
      });
  await record(row, claimed.attempt, startedAt, result, outcome, ctx);
  countSend(row.storeId, outcome);
  // The same line every engine writes at the end of a send (lib/mail/result.ts), with the outbox's view.
  logger.info(
    {
      transport: ctx.transport,
      outboxId: row.id,
      storeId: row.storeId,
      attempt: claimed.attempt,
      ok: result.ok,
      outcome,
      failedStep: result.ok ? undefined : result.step,
      errorCode: result.ok ? undefined : result.errorCode,
      ms: Math.round(result.durationMs),
    },
    'send finished',
  );
  return { outcome, durationMs: result.durationMs, finishedAt };
}

/** After a token or AUTH failure: did the OAuth connection just turn "needs reconnect"? */
async function needsReconnect(storeId: string): Promise<boolean> {
  const p = await db.notificationProfile.findUnique({
    where: { storeId },
    select: { transport: true, useAuth: true, authType: true, oauthStatus: true },
  });
  return p !== null && pauseReason(p) !== undefined;
}

async function record(
  row: Row,
  attempt: number,
  startedAt: Date,
  result: AttemptResult,
  outcome: AttemptOutcome,
  ctx: AttemptContext,
): Promise<void> {
  const now = new Date();
  const failure = result.ok ? undefined : result;
  const exhausted = outcome === 'temporary' && attempt >= ctx.maxAttempts;
  const final = outcome === 'sent' || outcome === 'permanent' || exhausted;
  let state: OutboxState;
  let retryAt: Date | undefined;
  if (outcome === 'sent') state = 'sent';
  else if (final) state = 'failed';
  else if (outcome === 'paused') {
    // Not the message's fault: the attempt is given back and the store's queue waits for a reconnect.
    state = attempt > 1 ? 'retrying' : 'queued';
    retryAt = now;
  } else {
    state = 'retrying';
    const quota = failure && isQuotaFailure({ text: `${failure.reply?.enhanced ?? ''} ${failure.reply?.text ?? ''}` });
    retryAt = new Date(
      now.getTime() + retryDelayMs(attempt, ctx.retry, quota ? QUOTA_RETRY_SECONDS : failure?.retryAfterSeconds),
    );
  }
  const reply = failure?.reply ?? (result.ok ? result.reply : undefined);
  const replyText = [reply?.enhanced, reply?.text].filter(Boolean).join(' ').slice(0, 1000);
  const advice = failure ? JSON.stringify(failure.advice) : '';
  const detail = failure
    ? exhausted
      ? `${failure.detail} Gave up after ${attempt} attempts.`
      : failure.detail
    : `Accepted${result.ok && result.queueId ? `, queue id ${result.queueId}` : ''}.`;
  const recipients = JSON.parse(row.recipients) as string[];

  const update = {
    where: { id: row.id },
    data: {
      state,
      transport: ctx.transport,
      ...(outcome === 'paused' && { attempts: { decrement: 1 } }),
      leaseOwner: '',
      leaseUntil: null,
      ...(retryAt && { nextAttemptAt: retryAt }),
      ...(final && { finishedAt: now }),
      ...(outcome === 'sent' && {
        sentAt: now,
        queueId: result.ok ? (result.queueId ?? '') : '',
        rejected: JSON.stringify(result.ok ? result.rejected : []),
      }),
      lastStep: failure?.step ?? '',
      lastReplyCode: reply?.code ?? null,
      lastReply: replyText,
      lastDetail: detail.slice(0, 2000),
      lastAdvice: advice,
    },
  };
  const attemptRow = {
    data: {
      outboxId: row.id,
      number: attempt,
      startedAt,
      durationMs: Math.round(result.durationMs),
      outcome: exhausted ? 'permanent' : outcome,
      step: failure?.step ?? '',
      replyCode: reply?.code ?? null,
      reply: replyText,
      detail: detail.slice(0, 2000),
      advice,
      retryAt: retryAt ?? null,
      worker: ctx.worker,
    },
  };
  const logRow = {
    data: {
      storeId: row.storeId,
      kind: row.kind,
      transport: ctx.transport,
      actorEmail: row.source,
      recipient: recipients.join('; ').slice(0, 4000),
      subject: row.subject.slice(0, 998),
      ok: outcome === 'sent',
      failedStep: failure?.step ?? '',
      replyCode: reply?.code ?? null,
      replyText,
      adviceId: failure?.advice.id ?? '',
      messageId: row.messageId,
      queueId: result.ok ? (result.queueId ?? '') : '',
      durationMs: Math.round(result.durationMs),
      outboxId: row.id,
      clientAddress: row.clientAddress,
      rejected: JSON.stringify(result.ok ? result.rejected : []),
    },
  };
  if (retryAt) {
    // The next attempt's job commits with the new state, so a crash cannot leave one without the other.
    await db.$transaction(async (tx: Tx) => {
      await tx.outboxMessage.update(update);
      await tx.outboxAttempt.create(attemptRow);
      await ctx.engine.scheduleDelivery(row.storeId, row.id, retryAt, tx);
    });
  } else {
    await db.$transaction([db.outboxMessage.update(update), db.outboxAttempt.create(attemptRow), db.deliveryLog.create(logRow)]);
  }
  if (final) messageSettled(row.id);
}
