import Link from 'next/link';
import { QueueFilters } from '@/components/queue/queue-filters';
import { QueueSummaryBar } from '@/components/queue/queue-summary';
import { QueueTable } from '@/components/queue/queue-table';
import { RetryAllFailedButton } from '@/components/queue/queue-actions';
import { Card } from '@/components/ui/card';
import { getQueueList, getQueueSummary, type QueueFilter } from '@/lib/outbox/queries';

/** The Queue page's body, for one store (`storeId`) or all of them. */
export async function QueueView({
  storeId,
  filter,
  basePath,
  canEdit,
}: {
  storeId?: string;
  filter: Omit<QueueFilter, 'storeId'>;
  basePath: string;
  canEdit: boolean;
}) {
  const [summary, list] = await Promise.all([getQueueSummary(storeId), getQueueList({ ...filter, storeId })]);
  const query = (page: number) => {
    const p = new URLSearchParams(
      Object.entries({ ...filter, page: String(page) }).flatMap(([k, v]) => (v ? [[k, String(v)]] : [])),
    );
    return `${basePath}?${p.toString()}`;
  };
  return (
    <>
      <QueueSummaryBar summary={summary} basePath={basePath} now={new Date()} />
      <Card
        title="Messages"
        description="Every message accepted for delivery, newest first. Open one for its attempts and the server’s replies."
        actions={canEdit ? <RetryAllFailedButton storeId={storeId} failed={summary.counts.failed} /> : undefined}
      >
        <QueueFilters basePath={basePath} filter={filter} />
        <QueueTable rows={list.rows} basePath={basePath} showStore={!storeId} />
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-600 dark:text-slate-400">
          <span>
            {list.total} message{list.total === 1 ? '' : 's'} · page {list.page} of {list.pages}
          </span>
          <span className="flex gap-3">
            {list.page > 1 ? (
              <Link className="underline" href={query(list.page - 1)}>
                Newer
              </Link>
            ) : null}
            {list.page < list.pages ? (
              <Link className="underline" href={query(list.page + 1)}>
                Older
              </Link>
            ) : null}
          </span>
        </nav>
        {!canEdit ? (
          <p className="mt-3 text-sm text-slate-500">Your account is read-only: only admins can retry, cancel or delete.</p>
        ) : null}
      </Card>
    </>
  );
}
