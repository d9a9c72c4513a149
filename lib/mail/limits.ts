/** Time limits of a send (docs/security.md#short-timeouts) and the overall deadline that enforces them. */
import type { Limits } from '@/lib/mail/session';
import { SendError, type SmtpTimeouts } from '@/lib/mail/types';
import { seconds } from '@/lib/mail/classify';

export const MAX_LIMITS: Limits = { connectMs: 10_000, greetingMs: 10_000, socketMs: 20_000, totalMs: 30_000 };
const MIN_MS = 100;

/** Caller values are honoured only downwards: never above the maxima, never absurdly small. */
export function resolveLimits(t: SmtpTimeouts = {}): Limits {
  const pick = (v: number | undefined, max: number) => (v && Number.isFinite(v) ? Math.min(Math.max(v, MIN_MS), max) : max);
  return {
    connectMs: pick(t.connectMs, MAX_LIMITS.connectMs),
    greetingMs: pick(t.greetingMs, MAX_LIMITS.greetingMs),
    socketMs: pick(t.socketMs, MAX_LIMITS.socketMs),
    totalMs: pick(t.totalMs, MAX_LIMITS.totalMs),
  };
}

/** Rejects once the whole test has run too long or the caller aborted; every await races it. */
export class Deadline {
  private timer: NodeJS.Timeout;
  private fire: (e: SendError) => void = () => undefined;
  private readonly expired = new Promise<never>((_, reject) => (this.fire = reject));
  private readonly onAbort = () => this.fire(new SendError('ECANCELLED', 'The test was cancelled.'));

  constructor(
    totalMs: number,
    private readonly signal: AbortSignal | undefined,
    onExpire: () => void,
  ) {
    this.expired.catch(onExpire);
    this.timer = setTimeout(
      () => this.fire(new SendError('ETOTAL', `The test did not finish within ${seconds(totalMs)} and was stopped.`)),
      totalMs,
    );
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.expired]);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
