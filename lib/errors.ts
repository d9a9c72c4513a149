/**
 * Domain errors that carry a message safe to show an admin, each with the HTTP status that fits it
 * (route handlers answer with it through lib/http/errors.ts). Everything else shows a generic message.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  /** A bad value in the request; `field` names it when it is one form or JSON field. */
  readonly status: number = 400;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No session, or no valid API key. */
export class UnauthorizedError extends UserFacingError {
  override name = 'UnauthorizedError';
  override readonly status = 401;
}

/** Signed in, but not allowed: a viewer, or a request from another site. */
export class ForbiddenError extends UserFacingError {
  override name = 'ForbiddenError';
  override readonly status = 403;
}

export class NotFoundError extends UserFacingError {
  override name = 'NotFoundError';
  override readonly status = 404;
}

/** A body in a format the endpoint does not take (a JSON endpoint sent text/plain or a form). */
export class UnsupportedMediaTypeError extends UserFacingError {
  override name = 'UnsupportedMediaTypeError';
  override readonly status = 415;
}

/** The current state refuses the request: a stale form, a second first-run setup. */
export class ConflictError extends UserFacingError {
  override name = 'ConflictError';
  override readonly status = 409;
}

/** The saved settings are not ready for this yet (no server, no password, no recipients): a conflict, not a bad request. */
export class NotReadyError extends ConflictError {
  override name = 'NotReadyError';
}

export class RateLimitedError extends UserFacingError {
  override name = 'RateLimitedError';
  override readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Shown instead of a generic failure when the database itself does not answer. */
export const DATABASE_DOWN_MESSAGE =
  'The database is not answering, so nothing was changed. Try again once it is back (/api/health shows its state).';

/** A maintenance command (backup, restore) that refused before changing anything; the message says why. */
export class RefusedError extends UserFacingError {
  override name = 'RefusedError';
}
