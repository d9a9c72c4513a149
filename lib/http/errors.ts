/**
 * Route handlers answer every error the same way (dub's handleAndReturnErrorResponse is the model):
 * one JSON shape, the status carried by the error class (lib/errors.ts), one log line for the rest.
 */
import 'server-only';
import { databaseAnswers } from '@/lib/db';
import { DATABASE_DOWN_MESSAGE, RateLimitedError, UserFacingError } from '@/lib/errors';
import { logError } from '@/lib/log';

/** `{ status: 'error', error: { message, ...extra } }`, never cached. */
export function errorResponse(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { status: 'error', error: { message, ...extra } },
    { status, headers: { 'cache-control': 'no-store', ...headers } },
  );
}

/**
 * A UserFacingError answers with its class's status, message and field; anything else is logged
 * once and becomes 503 when the database is down, otherwise 500 with `internalMessage`.
 */
export async function handleAndReturnErrorResponse(
  err: unknown,
  opts: { what: string; internalMessage: string },
): Promise<Response> {
  if (err instanceof UserFacingError) {
    const headers: Record<string, string> =
      err instanceof RateLimitedError ? { 'retry-after': String(err.retryAfterSeconds ?? 60) } : {};
    return errorResponse(err.status, err.message, err.field ? { field: err.field } : {}, headers);
  }
  logError(`${opts.what} failed`, err);
  if (!(await databaseAnswers())) return errorResponse(503, DATABASE_DOWN_MESSAGE);
  return errorResponse(500, opts.internalMessage);
}
