/**
 * What the Overview says about each store's outbox: its backlog (messages waiting and the oldest
 * one's age), failed messages kept until an admin handles them, and the recipients sent in the
 * last 24 hours against the provider's daily limit. Pure, for tests; thresholds in docs/architecture.md.
 */
import { formatAge } from '@/lib/format';
import type { AttentionItem } from '@/lib/overview/attention';

/** A message waiting longer than this makes the store "need attention". */
export const BACKLOG_ATTENTION_MINUTES = 15;
/** The daily recipient counter warns from this share of the limit on, and is an error at the limit. */
export const DAILY_WARNING_SHARE = 0.8;

export type StoreQueue = {
  storeId: string;
  storeName: string;
  /** Queued, sending or retrying. */
  pending: number;
  oldestPendingAt: Date | null;
  failed: number;
  /** Recipients of the messages sent in the last 24 hours. */
  recipients24h: number;
  /** The store's daily recipient limit (set, or the provider's); null = none known. */
  dailyLimit: number | null;
  /** Why the store's queue is held, if it is. */
  paused: string | null;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function queueAttentionFor(q: StoreQueue, now = new Date()): AttentionItem[] {
  const items: AttentionItem[] = [];
  const add = (severity: AttentionItem['severity'], title: string, detail: string, query = '') =>
    items.push({
      storeId: q.storeId,
      storeName: q.storeName,
      severity,
      title,
      detail,
      href: `/stores/${q.storeId}/queue${query}`,
    });

  const waitedMs = q.oldestPendingAt ? now.getTime() - q.oldestPendingAt.getTime() : 0;
  if (q.pending && waitedMs > BACKLOG_ATTENTION_MINUTES * 60_000) {
    add(
      'warning',
      `${plural(q.pending, 'message')} waiting, the oldest for ${formatAge(waitedMs)}`,
      q.paused ?? 'The Queue page shows each message’s last attempt and the server’s reply.',
    );
  }
  if (q.failed) {
    add(
      'error',
      `${plural(q.failed, 'message')} failed`,
      'Kept until an admin retries, cancels or deletes them on the Queue page.',
      '?state=failed',
    );
  }
  if (q.dailyLimit && q.recipients24h >= q.dailyLimit * DAILY_WARNING_SHARE) {
    const at = q.recipients24h >= q.dailyLimit;
    add(
      at ? 'error' : 'warning',
      `${at ? 'Daily recipient limit reached' : 'Close to the daily recipient limit'}: ${q.recipients24h.toLocaleString('en')} of ${q.dailyLimit.toLocaleString('en')}`,
      at
        ? 'The provider refuses more until the 24-hour window moves on; refused messages wait and are retried.'
        : 'Recipients in the last 24 hours. Past the limit the provider refuses messages until the window moves on.',
    );
  }
  return items;
}
