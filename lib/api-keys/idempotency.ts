/**
 * Idempotency-Key for the send API: the first request with a key claims it, a retry with the same
 * key and message gets the stored answer instead of a second email. Only "sent" answers are kept
 * (24 h); a request that sent nothing releases its key so a corrected retry can send.
 */
import { createHash } from 'node:crypto';
import { db } from '@/lib/db';
import { errorResponse } from '@/lib/http/errors';

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Printable ASCII, as the IETF Idempotency-Key draft's examples (UUIDs, random strings). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export type Claim =
  { kind: 'claimed' } | { kind: 'replay'; status: number; response: string } | { kind: 'in_progress' } | { kind: 'mismatch' };

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002';

const hashRequest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function claimIdempotencyKey(apiKeyId: string, key: string, bodyHash: string, now = new Date()): Promise<Claim> {
  await db.apiIdempotency.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS) } } });
  try {
    await db.apiIdempotency.create({ data: { apiKeyId, key, bodyHash } });
    return { kind: 'claimed' };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await db.apiIdempotency.findUnique({
    where: { apiKeyId_key: { apiKeyId, key } },
    select: { bodyHash: true, status: true, response: true },
  });
  // Released between our insert and this read: the caller may simply retry.
  if (!row) return { kind: 'in_progress' };
  if (row.bodyHash !== bodyHash) return { kind: 'mismatch' };
  return row.status === 0 ? { kind: 'in_progress' } : { kind: 'replay', status: row.status, response: row.response };
}

async function completeIdempotencyKey(apiKeyId: string, key: string, status: number, response: string): Promise<void> {
  await db.apiIdempotency.update({ where: { apiKeyId_key: { apiKeyId, key } }, data: { status, response } });
}

async function releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
  await db.apiIdempotency.deleteMany({ where: { apiKeyId, key } });
}

/**
 * Runs `send` at most once per (API key, Idempotency-Key) and message; without a header it just runs.
 * `request` is the validated message, hashed to tell a retry from a different message.
 */
export async function withIdempotency(
  apiKeyId: string,
  key: string | null,
  request: unknown,
  send: () => Promise<Response>,
): Promise<Response> {
  if (key === null) return send();
  if (!IDEMPOTENCY_KEY.test(key))
    return errorResponse(400, 'Idempotency-Key must be 1 to 200 printable ASCII characters; a UUID is a good choice.');
  const claim = await claimIdempotencyKey(apiKeyId, key, hashRequest(request));
  if (claim.kind === 'replay') {
    return new Response(claim.response, {
      status: claim.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'idempotent-replayed': 'true' },
    });
  }
  if (claim.kind === 'in_progress')
    return errorResponse(
      409,
      'A request with this Idempotency-Key is still being sent. Retry in a few seconds to get its answer.',
      {},
      { 'retry-after': '5' },
    );
  if (claim.kind === 'mismatch')
    return errorResponse(422, 'This Idempotency-Key was already used for a different message. Use a new key for a new message.');
  let res: Response | undefined;
  try {
    res = await send();
  } finally {
    // Only a sent message is remembered: after a refusal or an error nothing went out, and a corrected retry must send.
    if (res?.status === 200) await completeIdempotencyKey(apiKeyId, key, 200, await res.clone().text());
    else await releaseIdempotencyKey(apiKeyId, key).catch(() => undefined);
  }
  return res;
}
