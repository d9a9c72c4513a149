/**
 * Who may read the metrics (docs/operations.md#metrics): with METRICS_TOKEN set, a request with
 * `Authorization: Bearer <token>` from anywhere; without it, only a client on this machine — the
 * socket's address, never X-Forwarded-For, since a proxy on this machine would make every client local.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { ForbiddenError, UnauthorizedError } from '@/lib/errors';
import { CLIENT_ADDRESS_HEADER } from '@/lib/http/client-address';
import { normaliseIp } from '@/lib/net/ip';

const digest = (v: string) => createHash('sha256').update(v).digest();

const isLoopback = (ip: string | undefined) => !!ip && (ip === '::1' || /^127\./.test(ip));

/** Throws UnauthorizedError / ForbiddenError unless `req` may read the metrics. */
export function assertMetricsAccess(req: Request): void {
  const token = getEnv().METRICS_TOKEN;
  if (token) {
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';
    // Compared as digests: equal length, and no timing hint about the token.
    if (!given || !timingSafeEqual(digest(given), digest(token)))
      throw new UnauthorizedError('The metrics need the bearer token set in METRICS_TOKEN.');
    return;
  }
  if (!isLoopback(normaliseIp(req.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined)))
    throw new ForbiddenError('Without METRICS_TOKEN the metrics are served to this machine (loopback) only.');
}
