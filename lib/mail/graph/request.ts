/** One POST to Graph with its transcript lines, and what a non-202 answer or a network failure means. */
import { randomUUID } from 'node:crypto';
import { readCapped } from '@/lib/http/read-capped';
import { outboundFetch, policyRefusal } from '@/lib/net/fetch';
import type { DestinationPolicy } from '@/lib/net/policy';
import { classifyTls } from '@/lib/mail/classify';
import type { Transcript } from '@/lib/mail/transcript';
import { SendError, type SmtpReply } from '@/lib/mail/types';

/** Graph error bodies are small; a hostile endpoint must not make us buffer megabytes. */
const MAX_BODY_BYTES = 64 * 1024;

export type Exchange = { status: number; statusText: string; headers: Headers; error?: { code: string; message: string } };

/** A non-202 answer: the HTTP status and Graph's `{ error: { code, message } }` as the reply. */
export class GraphHttpError extends SendError {
  constructor(
    errorCode: string,
    detail: string,
    readonly reply: SmtpReply,
    readonly retryAfterS?: number,
  ) {
    super(errorCode, detail, 'request');
  }
}

/** What is posted: the JSON message, or a MIME message base64-encoded as `text/plain`. */
export type GraphPayload = { content: string; contentType: 'application/json' | 'text/plain'; summary: string };

export async function exchange(
  url: string,
  token: string,
  payload: GraphPayload,
  transcript: Transcript,
  signal: AbortSignal,
  policy: DestinationPolicy,
): Promise<Exchange> {
  const clientRequestId = randomUUID();
  transcript.client(`POST ${url}`);
  transcript.client('Authorization: Bearer ****');
  transcript.client(`Content-Type: ${payload.contentType}`);
  transcript.client(`client-request-id: ${clientRequestId}`);
  transcript.client(payload.summary);
  let res: Response;
  try {
    res = await outboundFetch(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': payload.contentType,
          accept: 'application/json',
          'client-request-id': clientRequestId,
          'return-client-request-id': 'true',
        },
        body: payload.content,
        // Never follow a redirect: a 3xx from sendMail is not an answer to trust.
        redirect: 'manual',
        cache: 'no-store',
        signal,
      },
      policy,
    );
  } catch (e) {
    throw networkFailure(e, new URL(url).host);
  }
  transcript.server(`HTTP ${res.status} ${res.statusText}`.trim());
  for (const h of ['request-id', 'client-request-id', 'retry-after']) {
    const v = res.headers.get(h);
    if (v) transcript.server(`${h}: ${v}`);
  }
  const raw = (await readCapped(res.body, MAX_BODY_BYTES)).bytes.toString('utf8');
  const error = graphError(raw);
  if (error) transcript.server(JSON.stringify({ error }));
  else if (raw.trim()) transcript.server(`[body: ${raw.length} chars] ${raw.slice(0, 200).replace(/\s+/g, ' ')}`);
  return { status: res.status, statusText: res.statusText, headers: res.headers, ...(error && { error }) };
}

function graphError(raw: string): { code: string; message: string } | undefined {
  try {
    const e = (JSON.parse(raw) as { error?: { code?: unknown; message?: unknown } }).error;
    if (e && typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  } catch {
    // not JSON: the status line and the raw body explain it
  }
  return undefined;
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date), or undefined when absent/unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  // An HTTP date names its weekday/month; V8 would also read "-5" or "2026" as dates.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function httpFailure(res: Exchange, why?: string): GraphHttpError {
  const s = res.status;
  const errorCode = [400, 401, 403, 404, 429].includes(s)
    ? `EGRAPH_${s}`
    : s >= 500
      ? 'EGRAPH_5XX'
      : s >= 400
        ? 'EGRAPH_4XX'
        : 'EGRAPH_UNEXPECTED';
  const graph = res.error ? `${res.error.code}: ${res.error.message}` : res.statusText || `HTTP ${s}`;
  const reply: SmtpReply = { code: s, text: graph };
  if (errorCode === 'EGRAPH_429') {
    const wait = retryAfterSeconds(res.headers.get('retry-after'));
    return new GraphHttpError(
      errorCode,
      `Microsoft Graph throttled the request (429 ${graph})${wait !== undefined ? `; Retry-After ${wait} s` : ''}; ${why ?? 'not retried'}.`,
      reply,
      wait,
    );
  }
  if (errorCode === 'EGRAPH_UNEXPECTED') {
    const where = res.headers.get('location') ? ` (redirect to ${res.headers.get('location')})` : '';
    return new GraphHttpError(
      errorCode,
      `Expected 202 Accepted, got ${s} ${res.statusText}${where}: the message may not have been sent.`.replace(/\s+:/, ':'),
      reply,
    );
  }
  // 503/504 may carry Retry-After too; the outbox waits at least that long before its next attempt.
  const wait = s >= 500 ? retryAfterSeconds(res.headers.get('retry-after')) : undefined;
  return new GraphHttpError(
    errorCode,
    `Microsoft Graph answered ${s} ${res.statusText}: ${graph}`.replace(/\s+:/, ':'),
    reply,
    wait,
  );
}

function networkFailure(error: unknown, where: string): SendError {
  const refused = policyRefusal(error);
  if (refused) return new SendError(refused.code, refused.message, 'request');
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: string }).code ?? '';
  const message = cause instanceof Error ? cause.message : String(cause);
  const tls = classifyTls(message, code);
  if (tls || /^ERR_(SSL|TLS)_|^EPROTO$/.test(code)) {
    return new SendError('EGRAPH_TLS', `TLS to ${where} failed: ${tls?.reason ?? message} (${code || message}).`, 'request');
  }
  return new SendError('EGRAPH_NETWORK', `Could not reach ${where} (${code || message}).`, 'request');
}
