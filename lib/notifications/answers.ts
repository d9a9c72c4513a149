/**
 * The send API's answers for a queued message (POST, replays and GET): 200 once sent, 502 once it
 * failed (with the step, the server's reply and advice), 202 while it is queued or being retried.
 */
import { errorResponse } from '@/lib/http/errors';
import type { MessageStatus } from '@/lib/outbox/status';

const NO_STORE = { 'cache-control': 'no-store' };

export const statusUrl = (appUrl: string, id: string) => `${appUrl}/api/v1/notifications/${id}`;

/** `Prefer: wait=N` (RFC 7240), at most 60 s; undefined when absent. */
export function preferredWait(prefer: string | null): number | undefined {
  const m = /(?:^|[,;\s])wait\s*=\s*(\d+)/i.exec(prefer ?? '');
  return m ? Math.min(60, Number(m[1])) : undefined;
}

export function answerFor(s: MessageStatus, url: string, headers: Record<string, string> = {}): Response {
  const common = {
    id: s.id,
    messageId: s.messageId,
    statusUrl: url,
    transport: s.transport,
    to: s.to,
    cc: s.cc,
    attempts: s.attempts.length,
  };
  const h = { ...NO_STORE, ...headers };
  if (s.state === 'sent') {
    return Response.json(
      { status: 'sent', ...common, queueId: s.queueId, rejected: s.rejected, sentAt: s.sentAt },
      { headers: h },
    );
  }
  if (s.state === 'failed' || s.state === 'cancelled') {
    const e = s.lastError;
    const message =
      s.state === 'cancelled'
        ? 'The message was cancelled by an admin before it was sent.'
        : (e?.detail ?? 'The message was not accepted.');
    return errorResponse(
      502,
      message,
      { state: s.state, step: e?.step || null, reply: e?.reply ?? null, advice: e?.advice ?? null, ...common },
      headers,
    );
  }
  return Response.json(
    { status: s.state, ...common, nextAttemptAt: s.nextAttemptAt, paused: s.paused, lastError: s.lastError },
    { status: 202, headers: { ...h, location: url } },
  );
}

export const unknownKey = () =>
  errorResponse(
    401,
    'Unknown or revoked API key. Send "Authorization: Bearer mr_…" with a key from the store\'s API access tab.',
    {},
    { 'www-authenticate': 'Bearer realm="mailroom"' },
  );
