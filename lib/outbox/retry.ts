/**
 * What a failed attempt means for the message, from the server's own words: SMTP 4xx, connection
 * trouble, a token endpoint that is down and Graph 429/503/504 are temporary (retry later, as the
 * server asked when it said when); 5xx replies and Graph 400/403/404 are permanent (fail now, with
 * advice); an OAuth connection that needs reconnecting holds the store's queue. Pure, for tests.
 */
import type { AttemptOutcome } from '@/lib/outbox/types';

export type FailureFacts = {
  /** Step that failed (resolve, connect, tls, ehlo, token, auth, mail_from, rcpt_to, data, request). */
  step?: string;
  /** The engine's error code: EAUTH, ETIMEDOUT, ECONNREFUSED, EGRAPH_429, ETOKEN_… */
  errorCode?: string;
  /** SMTP reply code, or the HTTP status of a Graph answer. */
  code?: number;
  /** Seconds the server asked to wait (Graph Retry-After). */
  retryAfterSeconds?: number;
  /** The OAuth connection is marked "needs reconnect" (invalid_grant, revoked consent …). */
  needsReconnect?: boolean;
  /** The reply text (with its enhanced status code). */
  text?: string;
};

/** Daily sending quotas answer with a 5xx, but the quota frees up within a day: wait an hour, then try again. */
const QUOTA = /SubmissionQuotaExceeded|\b5\.4\.5\b.*\blimit\b|Daily user sending limit/i;
export const QUOTA_RETRY_SECONDS = 3600;

export function isQuotaFailure(f: FailureFacts): boolean {
  return QUOTA.test(f.text ?? '');
}

/** Connection-level trouble that a later attempt may not meet. */
const TEMPORARY_ERRORS = new Set([
  'ETIMEDOUT',
  'ENOGREETING',
  'ESTALLED',
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ESOCKET',
  'EAI_AGAIN',
  'EDNS',
  'ENOTFOUND',
  'ETOKEN',
  'EGRAPH_429',
  'EGRAPH_5XX',
  'EGRAPH_NETWORK',
  'EABORTED',
  'ENOT_READY',
]);
/** Graph statuses that mean "later": throttled, unavailable, gateway timeout (and other 5xx). */
const GRAPH_TEMPORARY = (status: number) => status === 429 || status >= 500;

export function outcomeOf(f: FailureFacts): Exclude<AttemptOutcome, 'sent' | 'interrupted'> {
  if (f.needsReconnect) return 'paused';
  if (isQuotaFailure(f)) return 'temporary';
  if (f.step === 'request' && f.code !== undefined) return GRAPH_TEMPORARY(f.code) ? 'temporary' : 'permanent';
  if (f.code !== undefined && f.code >= 400 && f.code < 500) return 'temporary';
  if (f.code !== undefined && f.code >= 500) return 'permanent';
  if (f.errorCode && TEMPORARY_ERRORS.has(f.errorCode)) return 'temporary';
  // Everything else is the settings' fault (policy, TLS certificate, no STARTTLS, bad address): retrying cannot help.
  return 'permanent';
}

export type RetryPolicy = { baseSeconds: number; factor: number; maxSeconds: number; jitter: number };

/** ~8 attempts spread over about a day: 1 min, 3, 9, 27 min, 1.4 h, 4 h, 12 h (±20 %). */
export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 60, factor: 3, maxSeconds: 12 * 3600, jitter: 0.2 };

/** Delay before attempt `attempt + 1` after `attempt` attempts failed; Retry-After wins when longer. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number, random = Math.random): number {
  const raw = Math.min(policy.maxSeconds, policy.baseSeconds * policy.factor ** Math.max(0, attempt - 1));
  const jittered = raw * (1 + policy.jitter * (2 * random() - 1));
  return Math.round(Math.max(jittered, retryAfterSeconds ?? 0) * 1000);
}
