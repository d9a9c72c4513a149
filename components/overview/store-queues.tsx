import Link from 'next/link';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { formatAge } from '@/lib/format';
import { BACKLOG_ATTENTION_MINUTES, DAILY_WARNING_SHARE, type StoreQueue } from '@/lib/overview/queue-attention';

/** Each store's outbox at a glance: what is waiting and for how long, what failed, and today's recipients against the limit. */
export function StoreQueues({ queues, now }: { queues: StoreQueue[]; now: Date }) {
  if (!queues.length) return <EmptyState>No identity stores yet.</EmptyState>;
  return (
    <Table columns={['Store', 'Waiting', 'Oldest waiting', 'Failed', 'Recipients, last 24 h']}>
      {queues.map((q) => {
        const waited = q.oldestPendingAt ? now.getTime() - q.oldestPendingAt.getTime() : 0;
        const late = q.pending > 0 && waited > BACKLOG_ATTENTION_MINUTES * 60_000;
        const share = q.dailyLimit ? q.recipients24h / q.dailyLimit : 0;
        return (
          <tr key={q.storeId} data-testid="store-queue">
            <Cell>
              <Link href={`/stores/${q.storeId}/queue`} className="font-medium hover:underline">
                {q.storeName}
              </Link>
              {q.paused ? (
                <span className="block text-xs text-amber-700 dark:text-amber-400">On hold: needs reconnecting</span>
              ) : null}
            </Cell>
            <Cell>{q.pending}</Cell>
            <Cell className={late ? 'font-medium text-amber-700 dark:text-amber-400' : ''}>
              {q.oldestPendingAt ? formatAge(waited) : '—'}
            </Cell>
            <Cell className={q.failed ? 'font-medium text-rose-700 dark:text-rose-400' : ''}>{q.failed}</Cell>
            <Cell className={share >= DAILY_WARNING_SHARE ? 'font-medium text-amber-700 dark:text-amber-400' : ''}>
              {q.recipients24h.toLocaleString('en')}
              {q.dailyLimit ? ` of ${q.dailyLimit.toLocaleString('en')}` : ''}
            </Cell>
          </tr>
        );
      })}
    </Table>
  );
}
