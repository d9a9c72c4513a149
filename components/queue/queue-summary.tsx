import Link from 'next/link';
import { formatAge } from '@/lib/format';
import type { QueueSummary } from '@/lib/outbox/queries';
import { OUTBOX_STATES, STATE_LABELS } from '@/lib/outbox/types';

/** Counts by state (each a link to the list filtered by it) and how long the oldest waiting message has waited. */
export function QueueSummaryBar({ summary, basePath, now }: { summary: QueueSummary; basePath: string; now: Date }) {
  return (
    <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
      {OUTBOX_STATES.map((s) => (
        <Link
          key={s}
          href={`${basePath}?state=${s}`}
          className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm hover:opacity-90 dark:border-slate-800 dark:bg-slate-900"
        >
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{STATE_LABELS[s]}</dt>
          <dd className="mt-1 text-xl font-semibold" data-testid={`count-${s}`}>
            {summary.counts[s]}
          </dd>
        </Link>
      ))}
      <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Oldest waiting</dt>
        <dd className="mt-1 text-xl font-semibold">
          {summary.oldestPendingAt ? formatAge(now.getTime() - summary.oldestPendingAt.getTime()) : '—'}
        </dd>
      </div>
    </dl>
  );
}
