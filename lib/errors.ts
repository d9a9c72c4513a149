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
}
