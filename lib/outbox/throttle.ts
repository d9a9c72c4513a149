/**
 * A store's sending rate: messages are spaced evenly (one per 60 s / limit) rather than sent in
 * bursts, so no window of a minute ever holds more than the limit. Two rules together:
 * - starts are spaced on a limiter that all processes share (lib/rate-limit);
 * - in this process, a throttled store sends one message at a time and starts the next one
 *   `spacing − fastest send` after the previous one was accepted, so the server sees them spaced
 *   even when the first message was slow (a new connection's TLS and AUTH) and the next fast.
 * A small margin covers a send faster than any seen before.
 */
import { getEnv } from '@/lib/env';
import { giveBack, tryTake } from '@/lib/rate-limit';

const NAME = 'outbox-rate';

/** Seconds between two message starts at `perMinute` (per OUTBOX_RATE_WINDOW_SECONDS): the limit all processes share. */
export function spacingSeconds(perMinute: number, windowSeconds = getEnv().OUTBOX_RATE_WINDOW_SECONDS): number {
  return windowSeconds / perMinute;
}

/**
 * The spacing this process keeps between the messages it sends: the limit's, with a margin of 1 %
 * (2–20 ms). Only here: the shared limiter's slot frees up a little late (its window starts when a
 * slot is taken, after the timer that waited for it), so a margin there too would add up to a few
 * percent under the limit.
 */
function pacedMs(perMinute: number): number {
  const ms = spacingSeconds(perMinute) * 1000;
  return ms + Math.min(20, Math.max(2, ms * 0.01));
}

/** This process's view of one throttled store: when its last message was accepted and its fastest send. */
export class Pacer {
  private lastDone = 0;
  private sends = 0;
  /** The fastest send after the first (the first pays for the connection's TLS and AUTH). */
  private fastestMs = Number.POSITIVE_INFINITY;

  /** Milliseconds until the next message may start (0 = now). */
  waitMs(perMinute: number, now = Date.now()): number {
    if (!this.lastDone) return 0;
    const fastest = Number.isFinite(this.fastestMs) ? this.fastestMs : 0;
    return Math.max(0, this.lastDone + pacedMs(perMinute) - fastest - now);
  }

  done(durationMs: number, now = Date.now()): void {
    this.lastDone = now;
    if (this.sends++ > 0) this.fastestMs = Math.min(this.fastestMs, durationMs);
  }
}

/** Takes up to `wanted` send slots now; returns how many, and when the next one frees up. */
export async function takeSlots(
  storeId: string,
  perMinute: number | null,
  wanted: number,
): Promise<{ granted: number; waitMs: number }> {
  if (!perMinute) return { granted: wanted, waitMs: 0 };
  const spacing = spacingSeconds(perMinute);
  let granted = 0;
  while (granted < wanted) {
    const r = await tryTake(NAME, storeId, 1, spacing);
    if (!r.allowed) return { granted, waitMs: r.waitMs };
    granted++;
  }
  return { granted, waitMs: 0 };
}

/** Slots taken for messages another process got first. */
export async function returnSlots(storeId: string, perMinute: number | null, count: number): Promise<void> {
  if (perMinute && count > 0) await giveBack(NAME, storeId, 1, spacingSeconds(perMinute), count);
}
