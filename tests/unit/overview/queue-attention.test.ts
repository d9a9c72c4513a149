import { describe, expect, it } from 'vitest';
import { queueAttentionFor, type StoreQueue } from '@/lib/overview/queue-attention';

const NOW = new Date('2026-11-23T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const quiet: StoreQueue = {
  storeId: 's1',
  storeName: 'Contoso',
  pending: 0,
  oldestPendingAt: null,
  failed: 0,
  recipients24h: 0,
  dailyLimit: 10_000,
  paused: null,
};
const items = (q: Partial<StoreQueue>) => queueAttentionFor({ ...quiet, ...q }, NOW).map((i) => `${i.severity}: ${i.title}`);

describe('queueAttentionFor', () => {
  it('an empty queue, or one whose oldest message waited under 15 minutes, needs nothing', () => {
    expect(items({})).toEqual([]);
    expect(items({ pending: 40, oldestPendingAt: minutesAgo(14) })).toEqual([]);
  });

  it('a backlog older than 15 minutes, with the reason when the store is on hold', () => {
    expect(items({ pending: 3, oldestPendingAt: minutesAgo(75) })).toEqual([
      'warning: 3 messages waiting, the oldest for 1 h 15 min',
    ]);
    const [held] = queueAttentionFor({ ...quiet, pending: 1, oldestPendingAt: minutesAgo(20), paused: 'Reconnect OAuth.' }, NOW);
    expect(held).toMatchObject({ detail: 'Reconnect OAuth.', href: '/stores/s1/queue' });
  });

  it('failed messages link to the failed ones', () => {
    const [failed] = queueAttentionFor({ ...quiet, failed: 2 }, NOW);
    expect(failed).toMatchObject({ severity: 'error', title: '2 messages failed', href: '/stores/s1/queue?state=failed' });
  });

  it('the daily recipient counter warns from 80 % of the limit and is an error at it; no limit known, no warning', () => {
    expect(items({ recipients24h: 7_999 })).toEqual([]);
    expect(items({ recipients24h: 8_000 })).toEqual(['warning: Close to the daily recipient limit: 8,000 of 10,000']);
    expect(items({ recipients24h: 10_000 })).toEqual(['error: Daily recipient limit reached: 10,000 of 10,000']);
    expect(items({ recipients24h: 50_000, dailyLimit: null })).toEqual([]);
  });
});
