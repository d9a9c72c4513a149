import { Cell, EmptyState, Table } from '@/components/ui/table';
import { formatUtc } from '@/lib/format';
import type { AlertHistoryRow } from '@/lib/alerts/queries';

const EVENT_LABELS: Record<string, string> = { fired: 'Raised', repeat: 'Repeated', resolved: 'Resolved', test: 'Test' };

export function HistoryTable({ rows }: { rows: AlertHistoryRow[] }) {
  if (!rows.length) return <EmptyState>No alerts sent yet.</EmptyState>;
  return (
    <Table columns={['When', 'Event', 'Alert', 'Channel', 'Outcome']}>
      {rows.map((r) => (
        <tr key={r.id} data-testid="alert-history-row">
          <Cell className="whitespace-nowrap">{formatUtc(r.createdAt)}</Cell>
          <Cell className="whitespace-nowrap">{EVENT_LABELS[r.event] ?? r.event}</Cell>
          <Cell>
            {r.title}
            {r.actorEmail ? <span className="block text-xs text-slate-500">by {r.actorEmail}</span> : null}
          </Cell>
          <Cell className="whitespace-nowrap">{r.channelName || '—'}</Cell>
          <Cell className={r.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}>
            {r.ok ? 'Sent' : 'Not sent'}
            <span className="block text-xs text-slate-600 dark:text-slate-400">{r.outcome}</span>
          </Cell>
        </tr>
      ))}
    </Table>
  );
}
