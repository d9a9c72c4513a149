/**
 * What an admin does to queued messages: Retry now, Cancel, Delete, Retry all failed, and reading
 * a body. Each change is a compare-and-swap on the row's state, so it never races the worker: a
 * message that is being sent right now is refused until its attempt finishes. Every action is in
 * the activity log.
 */
import { openSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { recordAudit, type AuditAction } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/roles';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { getJobEngine, type Tx } from '@/lib/jobs';
import { pausedStores } from '@/lib/outbox/readiness';
import { wakeWorkers } from '@/lib/outbox/signals';
import type { DeliveryLimitsValues } from '@/lib/validation/outbox';
import { STATE_LABELS, type OutboxState, type StoredBody } from '@/lib/outbox/types';

export type Actor = { user: Pick<CurrentUser, 'id' | 'email'>; ip: string };

/** Retry all failed moves at most this many messages per click, so one click is one bounded transaction. */
export const RETRY_ALL_LIMIT = 1000;

const BEING_SENT =
  'This message is being sent right now. Wait for the attempt to finish (the page shows its outcome), then try again.';

type Target = { id: string; storeId: string; state: OutboxState; attempts: number; subject: string; storeName: string };

async function target(id: string, storeId?: string): Promise<Target> {
  const row = await db.outboxMessage.findFirst({
    where: { id, ...(storeId && { storeId }) },
    select: { id: true, storeId: true, state: true, attempts: true, subject: true, store: { select: { name: true } } },
  });
  if (!row) throw new NotFoundError('This message is no longer in the queue.');
  return { ...row, state: row.state as OutboxState, storeName: row.store.name };
}

const audit = (actor: Actor, action: AuditAction, t: Pick<Target, 'id' | 'storeName' | 'subject'>, extra = {}) =>
  recordAudit({
    actor: actor.user,
    action,
    target: t.storeName,
    details: { message: t.id, subject: t.subject, ...extra },
    ip: actor.ip,
  });

/** Puts failed / waiting messages back as due now, with a job each, in the caller's transaction. */
async function makeDue(tx: Tx, rows: { id: string; storeId: string; state: string; attempts: number }[], now: Date) {
  const engine = await getJobEngine();
  let moved = 0;
  for (const r of rows) {
    // Compare-and-swap: a worker that claimed the row in the meantime wins, and this one is skipped.
    const won = await tx.outboxMessage.updateMany({
      where: { id: r.id, state: r.state, attempts: r.attempts },
      data: { state: r.attempts > 0 ? 'retrying' : 'queued', nextAttemptAt: now, finishedAt: null },
    });
    if (won.count === 1) {
      await engine.scheduleDelivery(r.storeId, r.id, now, tx);
      moved++;
    }
  }
  return moved;
}

async function pausedNote(storeId: string): Promise<string> {
  const paused = (await pausedStores([storeId])).get(storeId);
  return paused ? ` The store's queue is on hold, though: ${paused}` : '';
}

/** Makes the next attempt now: a failed message gets one more try, a retrying one skips its wait. */
export async function retryNow(id: string, actor: Actor, storeId?: string): Promise<string> {
  const t = await target(id, storeId);
  if (t.state === 'sending') throw new ConflictError(BEING_SENT);
  if (t.state === 'sent') throw new ConflictError('This message was already sent; it is not sent again.');
  if (t.state === 'cancelled') throw new ConflictError('This message was cancelled; it is not sent any more.');
  const moved = await db.$transaction((tx) => makeDue(tx, [t], new Date()));
  if (!moved) throw new ConflictError('The message changed while you were looking at it: reload the page and try again.');
  wakeWorkers();
  await audit(actor, 'outbox.retry', t, { from: t.state });
  return `The message is being sent again now.${await pausedNote(t.storeId)}`;
}

/** Cancels a message that has not been sent: it stays in the list as cancelled and is never sent. */
export async function cancelMessage(id: string, actor: Actor, storeId?: string): Promise<string> {
  const t = await target(id, storeId);
  if (t.state === 'sending') throw new ConflictError(BEING_SENT);
  if (t.state === 'sent' || t.state === 'cancelled')
    throw new ConflictError(`This message is already ${STATE_LABELS[t.state].toLowerCase()}; there is nothing to cancel.`);
  const won = await db.outboxMessage.updateMany({
    where: { id, state: t.state, attempts: t.attempts },
    data: { state: 'cancelled', finishedAt: new Date(), leaseOwner: '', leaseUntil: null },
  });
  if (!won.count) throw new ConflictError(BEING_SENT);
  await audit(actor, 'outbox.cancel', t, { from: t.state });
  return 'Cancelled: the message will not be sent.';
}

/** Removes a message and its attempts for good (its delivery log entries stay). */
export async function deleteMessage(id: string, actor: Actor, storeId?: string): Promise<string> {
  const t = await target(id, storeId);
  if (t.state === 'sending') throw new ConflictError(BEING_SENT);
  const gone = await db.outboxMessage.deleteMany({ where: { id, state: t.state, attempts: t.attempts } });
  if (!gone.count) throw new ConflictError(BEING_SENT);
  await audit(actor, 'outbox.delete', t, { state: t.state });
  return 'Deleted: the message is no longer in the queue.';
}

/** Every failed message (of one store, or of all) gets one more attempt now. */
export async function retryAllFailed(actor: Actor, storeId?: string): Promise<string> {
  const rows = await db.outboxMessage.findMany({
    where: { state: 'failed', ...(storeId && { storeId }) },
    orderBy: { createdAt: 'asc' },
    take: RETRY_ALL_LIMIT,
    select: { id: true, storeId: true, state: true, attempts: true },
  });
  if (!rows.length) return 'There are no failed messages to retry.';
  const moved = await db.$transaction((tx) => makeDue(tx, rows, new Date()), { timeout: 60_000 });
  wakeWorkers();
  const store = storeId ? await db.identityStore.findUnique({ where: { id: storeId }, select: { name: true } }) : null;
  await recordAudit({
    actor: actor.user,
    action: 'outbox.retry_failed',
    target: store?.name ?? 'all stores',
    details: { messages: moved },
    ip: actor.ip,
  });
  const more = rows.length === RETRY_ALL_LIMIT ? ` Up to ${RETRY_ALL_LIMIT} at a time: click again for the rest.` : '';
  return `${moved} failed message${moved === 1 ? ' is' : 's are'} being sent again.${more}${storeId ? await pausedNote(storeId) : ''}`;
}

const RAW_SHOWN_BYTES = 256 * 1024;

export type MessageBody = { text: string; html?: string } | { raw: string };

/** The message's content, for an admin who asked to see it; the reading is in the activity log. */
export async function readMessageBody(id: string, actor: Actor, storeId?: string): Promise<MessageBody> {
  const row = await db.outboxMessage.findFirst({
    where: { id, ...(storeId && { storeId }) },
    select: { id: true, subject: true, bodyEnc: true, store: { select: { name: true } } },
  });
  if (!row) throw new NotFoundError('This message is no longer in the queue.');
  if (!row.bodyEnc) throw new ConflictError('The body of this message was removed by the retention policy.');
  const body = JSON.parse(openSecret(row.id, 'body', row.bodyEnc)) as StoredBody;
  await audit(actor, 'outbox.view_body', { id: row.id, subject: row.subject, storeName: row.store.name });
  if (!('raw' in body)) return { text: body.text, ...(body.html && { html: body.html }) };
  // A relayed message may carry attachments: the page shows the start of its MIME source.
  const raw = Buffer.from(body.raw, 'base64');
  const shown = raw.subarray(0, RAW_SHOWN_BYTES).toString('utf8');
  return {
    raw: raw.length > RAW_SHOWN_BYTES ? `${shown}\n… (${(raw.length - RAW_SHOWN_BYTES).toLocaleString('en')} more bytes)` : shown,
  };
}

/** Saves a store's delivery limits; the worker reads them on its next pass. Returns what changed. */
export async function saveDeliveryLimits(storeId: string, values: DeliveryLimitsValues, actor: Actor): Promise<string[]> {
  const before = await db.notificationProfile.findUnique({
    where: { storeId },
    select: {
      sendPerMinute: true,
      maxConnections: true,
      dailyRecipientLimit: true,
      maxAttempts: true,
      store: { select: { name: true } },
    },
  });
  if (!before) throw new NotFoundError('This identity store no longer exists.');
  const changed = (Object.keys(values) as (keyof DeliveryLimitsValues)[]).filter((k) => before[k] !== values[k]);
  if (!changed.length) return changed;
  await db.notificationProfile.update({ where: { storeId }, data: { ...values, updatedBy: actor.user.email } });
  await recordAudit({
    actor: actor.user,
    action: 'notifications.limits',
    target: before.store.name,
    details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: values[k] }])),
    ip: actor.ip,
  });
  return changed;
}
