/** Domain errors that carry a message safe to show an admin. Everything else shows a generic one. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

export class NotFoundError extends UserFacingError {
  override name = 'NotFoundError';
}

export class ConflictError extends UserFacingError {
  override name = 'ConflictError';
}

export class RateLimitedError extends UserFacingError {
  override name = 'RateLimitedError';
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** Shown instead of a generic failure when the database itself does not answer. */
export const DATABASE_DOWN_MESSAGE =
  'The database is not answering, so nothing was changed. Try again once it is back (/api/health shows its state).';
