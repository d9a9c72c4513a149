import { fieldErrorsOf } from '@/lib/action';
import { withIdempotency } from '@/lib/api-keys/idempotency';
import { authenticateApiKey, type ApiCaller } from '@/lib/api-keys/service';
import { errorResponse, handleAndReturnErrorResponse } from '@/lib/http/errors';
import { readCapped } from '@/lib/http/read-capped';
import { sendNotification } from '@/lib/notifications/send';
import { getAccessToken } from '@/lib/oauth/connection';
import { sendNotificationSchema } from '@/lib/validation/send';

export const dynamic = 'force-dynamic';

/**
 * Sends a notification through the saved profile of the API key's identity store.
 * `Authorization: Bearer mr_…`; body `{"to": [...]?, "cc": [...]?, "subject": "…", "text": "…"}`.
 * 200 sent (possibly with some recipients refused) · 400 invalid body · 401 key · 413 body over 1 MiB · 409 profile not
 * ready, or the same Idempotency-Key still sending · 422 Idempotency-Key reused for another message · 429 rate limit ·
 * 502 the mail server or Graph refused (step, reply, advice) · 503 database.
 */
export async function POST(req: Request) {
  try {
    const caller = await authenticateApiKey(req.headers.get('authorization'));
    if (!caller) {
      return errorResponse(
        401,
        'Unknown or revoked API key. Send "Authorization: Bearer mr_…" with a key from the store\'s API access tab.',
        {},
        { 'www-authenticate': 'Bearer realm="mailroom"' },
      );
    }
    const body = await readJson(req);
    if (body === TOO_LARGE) return errorResponse(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
    if (body === undefined)
      return errorResponse(
        400,
        'The body must be JSON, e.g. {"subject": "Password expires soon", "text": "…", "to": ["user@example.com"]}.',
      );
    const parsed = sendNotificationSchema.safeParse(body);
    if (!parsed.success) return errorResponse(400, 'Some fields need attention.', { fields: fieldErrorsOf(parsed.error) });

    return await withIdempotency(caller.keyId, req.headers.get('idempotency-key'), parsed.data, () => send(caller, parsed.data));
  } catch (err) {
    return handleAndReturnErrorResponse(err, {
      what: 'send api',
      internalMessage: 'The notification could not be sent because of a server error; see the server log.',
    });
  }
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

async function send(caller: ApiCaller, input: Parameters<typeof sendNotification>[1]): Promise<Response> {
  const { to, cc, result: r } = await sendNotification(caller, input, { tokenSource: (profileId) => getAccessToken(profileId) });
  const common = { transport: r.transport, to, cc, durationMs: r.durationMs };
  if (r.ok) {
    return Response.json(
      { status: 'sent', ...common, messageId: r.messageId, queueId: r.queueId ?? null, rejected: r.rejected ?? [] },
      { headers: { 'cache-control': 'no-store' } },
    );
  }
  const failed = r.steps.find((s) => s.status === 'failed');
  return errorResponse(502, failed?.detail ?? 'The message was not accepted.', {
    step: r.failedStep,
    reply: r.reply ?? null,
    advice: r.advice ?? null,
    ...common,
  });
}
