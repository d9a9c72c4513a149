/**
 * Idempotency-Key for the send API: the first request with a key claims it and queues the message;
 * a retry with the same key and message reports that message (its current state) instead of
 * queueing a second one. A message that ended failed or cancelled frees its key, so a corrected
 * retry sends; a request that queued nothing releases the key at once. Keys are kept 24 h.
 */
import { createHash } from 'node:crypto';
import { db } from '@/lib/db';
import { purgeIdempotencyKeys } from '@/lib/api-keys/idempotency-retention';
import { errorResponse } from '@/lib/http/errors';

/** Printable ASCII, as the IETF Idempotency-Key draft's examples (UUIDs, random strings). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; response: string; outboxId: string | null }
  | { kind: 'in_progress' }
  | { kind: 'mismatch'; outboxId: string | null };

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002';

const hashRequest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function claimIdempotencyKey(apiKeyId: string, key: string, bodyHash: string, now = new Date()): Promise<Claim> {
  await purgeIdempotencyKeys(now);
  try {
    await db.apiIdempotency.create({ data: { apiKeyId, key, bodyHash } });
    return { kind: 'claimed' };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await db.apiIdempotency.findUnique({
    where: { apiKeyId_key: { apiKeyId, key } },
    select: { bodyHash: true, status: true, response: true, outboxId: true },
  });
  // Released between our insert and this read: the caller may simply retry.
  if (!row) return { kind: 'in_progress' };
  if (row.bodyHash !== bodyHash) return { kind: 'mismatch', outboxId: row.outboxId };
  return row.status === 0
    ? { kind: 'in_progress' }
    : { kind: 'replay', status: row.status, response: row.response, outboxId: row.outboxId };
}

async function completeIdempotencyKey(apiKeyId: string, key: string, status: number, response: string, outboxId: string) {
  await db.apiIdempotency.update({ where: { apiKeyId_key: { apiKeyId, key } }, data: { status, response, outboxId } });
}

async function releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
  await db.apiIdempotency.deleteMany({ where: { apiKeyId, key } });
}

export type IdempotentRun = {
  /** Queues the message; `outboxId` when something was queued. */
  queue: () => Promise<{ response: Response; outboxId?: string }>;
  /** The answer for an already queued message now, or null when it ended failed or cancelled (the key may queue again). */
  current: (outboxId: string) => Promise<Response | null>;
};

const replayed = (res: Response) => {
  const headers = new Headers(res.headers);
  headers.set('idempotent-replayed', 'true');
  return new Response(res.body, { status: res.status, headers });
};

/**
 * Queues at most one message per (API key, Idempotency-Key) and message; without a header it just queues.
 * `request` is the validated message, hashed to tell a retry from a different message.
 */
export async function withIdempotency(
  apiKeyId: string,
  key: string | null,
  request: unknown,
  run: IdempotentRun,
): Promise<Response> {
  if (key === null) return (await run.queue()).response;
  if (!IDEMPOTENCY_KEY.test(key))
    return errorResponse(400, 'Idempotency-Key must be 1 to 200 printable ASCII characters; a UUID is a good choice.');
  const bodyHash = hashRequest(request);
  let claim = await claimIdempotencyKey(apiKeyId, key, bodyHash);
  if (claim.kind === 'replay' || claim.kind === 'mismatch') {
    const now = claim.outboxId ? await run.current(claim.outboxId) : undefined;
    if (claim.kind === 'replay' && now) return replayed(now);
    if (claim.kind === 'replay' && now === undefined) {
      // The message is gone (retention): the answer as it was given.
      return replayed(new Response(claim.response, { status: claim.status, headers: { 'content-type': 'application/json' } }));
    }
    if (now === null) {
      // The first message failed or was cancelled: the key is free for a corrected retry.
      await releaseIdempotencyKey(apiKeyId, key);
      claim = await claimIdempotencyKey(apiKeyId, key, bodyHash);
    }
  }
  if (claim.kind === 'replay' || claim.kind === 'in_progress')
    return errorResponse(
      409,
      'A request with this Idempotency-Key is still being queued. Retry in a few seconds to get its answer.',
      {},
      { 'retry-after': '5' },
    );
  if (claim.kind === 'mismatch')
    return errorResponse(422, 'This Idempotency-Key was already used for a different message. Use a new key for a new message.');
  let queued: { response: Response; outboxId?: string } | undefined;
  try {
    queued = await run.queue();
  } finally {
    // Only a queued message is remembered: after a refusal nothing was queued, and a corrected retry must queue.
    if (queued?.outboxId) {
      await completeIdempotencyKey(apiKeyId, key, queued.response.status, await queued.response.clone().text(), queued.outboxId);
    } else await releaseIdempotencyKey(apiKeyId, key).catch(() => undefined);
  }
  return queued.response;
}
