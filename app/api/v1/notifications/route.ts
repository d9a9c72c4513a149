import { fieldErrorsOf } from '@/lib/action';
import { withIdempotency } from '@/lib/api-keys/idempotency';
import { authenticateApiKey, type ApiCaller } from '@/lib/api-keys/service';
import { getEnv } from '@/lib/env';
import { NotFoundError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { errorResponse, handleAndReturnErrorResponse } from '@/lib/http/errors';
import { readCapped } from '@/lib/http/read-capped';
import { answerFor, preferredWait, statusUrl, unknownKey } from '@/lib/notifications/answers';
import { queueNotification } from '@/lib/notifications/send';
import { waitForSettled } from '@/lib/outbox/signals';
import { messageStatus, waitUntilFinal } from '@/lib/outbox/status';
import { sendNotificationSchema, type SendNotificationValues } from '@/lib/validation/send';

export const dynamic = 'force-dynamic';

/**
 * Queues a notification for the saved profile of the API key's identity store.
 * `Authorization: Bearer mr_…`; body `{"to": [...]?, "cc": [...]?, "subject": "…", "text": "…", "html": "…"?}`.
 * 202 queued (Location: the status URL) · with `Prefer: wait=N` (≤ 60 s): 200 sent / 502 failed / 202 still pending ·
 * 400 invalid body · 401 key · 413 body over 1 MiB · 409 store not set up, or the same Idempotency-Key still queueing ·
 * 422 Idempotency-Key reused for another message · 429 rate limit · 503 database.
 */
export async function POST(req: Request) {
  try {
    const caller = await authenticateApiKey(req.headers.get('authorization'));
    if (!caller) return unknownKey();
    const body = await readJson(req);
    if (body === TOO_LARGE) return errorResponse(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
    if (body === undefined)
      return errorResponse(
        400,
        'The body must be JSON, e.g. {"subject": "Password expires soon", "text": "…", "to": ["user@example.com"]}.',
      );
    const parsed = sendNotificationSchema.safeParse(body);
    if (!parsed.success) return errorResponse(400, 'Some fields need attention.', { fields: fieldErrorsOf(parsed.error) });

    const wait = preferredWait(req.headers.get('prefer'));
    const applied: Record<string, string> = wait === undefined ? {} : { 'preference-applied': `wait=${wait}` };
    return await withIdempotency(caller.keyId, req.headers.get('idempotency-key'), parsed.data, {
      queue: () => queue(caller, parsed.data, { ip: clientAddress(req), wait, headers: applied, signal: req.signal }),
      current: async (outboxId) => {
        const s = await messageStatus(outboxId, caller.storeId);
        if (!s) return null;
        return s.state === 'failed' || s.state === 'cancelled' ? null : answerFor(s, statusUrl(getEnv().APP_URL, s.id));
      },
    });
  } catch (err) {
    return handleAndReturnErrorResponse(err, {
      what: 'send api',
      internalMessage: 'The notification could not be queued because of a server error; see the server log.',
    });
  }
}

type QueueOptions = { ip: string; wait: number | undefined; headers: Record<string, string>; signal: AbortSignal };

async function queue(caller: ApiCaller, input: SendNotificationValues, o: QueueOptions) {
  const q = await queueNotification(caller, input, o.ip);
  const s = o.wait
    ? await waitUntilFinal(q.id, o.wait * 1000, (ms) => waitForSettled(q.id, ms, o.signal))
    : await messageStatus(q.id);
  if (!s) throw new NotFoundError('The message was deleted while you waited for it.');
  return { response: answerFor(s, statusUrl(getEnv().APP_URL, q.id), o.headers), outboxId: q.id };
}

/** Text and HTML are at most 256 KiB each: a body past 1 MiB is refused before it is all read. */
const MAX_BODY_BYTES = 1024 * 1024;
const TOO_LARGE = Symbol('too large');

async function readJson(req: Request): Promise<unknown> {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return TOO_LARGE;
  const { bytes, overflowed } = await readCapped(req.body, MAX_BODY_BYTES);
  if (overflowed) return TOO_LARGE;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
