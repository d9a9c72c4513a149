import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

type LimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Limiters live for the process; the console runs as one Node process, so memory is the
 * right store. Kept on globalThis so dev-mode module reloads don't reset them.
 */
const store = globalThis as typeof globalThis & { mailroomLimiters?: Map<string, RateLimiterMemory> };
const limiters = (store.mailroomLimiters ??= new Map());

function limiter(name: string, points: number, durationSeconds: number): RateLimiterMemory {
  let l = limiters.get(name);
  if (!l) {
    l = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
    limiters.set(name, l);
  }
  return l;
}

const toResult = (err: unknown): LimitResult => {
  if (err instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.ceil(err.msBeforeNext / 1000) };
  throw err;
};

/** Login: 10 failures per account and address in 15 minutes. */
export const loginFailures = {
  async check(key: string): Promise<LimitResult> {
    const res = await limiter('login', 10, 15 * 60).get(key);
    if (res && res.remainingPoints <= 0) return { allowed: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
    return { allowed: true };
  },
  async fail(key: string): Promise<void> {
    await limiter('login', 10, 15 * 60)
      .consume(key)
      .catch(() => undefined);
  },
  async reset(key: string): Promise<void> {
    await limiter('login', 10, 15 * 60).delete(key);
  },
};

/**
 * Login: 20 failures per account from any address in 5 minutes bounds guessing spread over many
 * addresses; the short window is the lockout, so another address's failures block the owner briefly.
 */
export const accountLoginFailures = {
  async check(email: string): Promise<LimitResult> {
    const res = await limiter('login-account', 20, 5 * 60).get(email);
    return res && res.remainingPoints <= 0
      ? { allowed: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) }
      : { allowed: true };
  },
  fail: (email: string): Promise<void> =>
    limiter('login-account', 20, 5 * 60)
      .consume(email)
      .then(
        () => undefined,
        () => undefined,
      ),
  reset: (email: string): Promise<void> =>
    limiter('login-account', 20, 5 * 60)
      .delete(email)
      .then(() => undefined),
};

/** Consumes one point for `key`; e.g. Test Server sends per admin per minute. */
export async function take(name: string, key: string, points: number, durationSeconds: number): Promise<LimitResult> {
  return limiter(name, points, durationSeconds)
    .consume(key)
    .then((): LimitResult => ({ allowed: true }))
    .catch(toResult);
}

export function formatRetry(seconds: number): string {
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}
