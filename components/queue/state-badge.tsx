import { STATE_LABELS, type OutboxState } from '@/lib/outbox/types';

const tones: Record<OutboxState, string> = {
  queued: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  sending: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200',
  retrying: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  sent: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  failed: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200',
  cancelled: 'bg-slate-100 text-slate-500 line-through dark:bg-slate-800 dark:text-slate-400',
};

export function StateBadge({ state }: { state: OutboxState }) {
  return (
    <span data-testid="queue-state" className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tones[state]}`}>
      {STATE_LABELS[state]}
    </span>
  );
}
