import { describeAction } from '@/components/activity/describe';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import type { ActivityRow } from '@/lib/activity/queries';
import { formatUtc } from '@/lib/format';

function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function ActivityTable({ rows }: { rows: ActivityRow[] }) {
  if (rows.length === 0) return <EmptyState>No activity yet.</EmptyState>;
  return (
    <Table columns={['When', 'Who', 'What', 'Details']}>
      {rows.map((r) => (
        <tr key={r.id} className="align-top">
          <Cell className="whitespace-nowrap text-slate-600 dark:text-slate-400">
            <time dateTime={r.createdAt.toISOString()}>{formatUtc(r.createdAt, 'second')}</time>
          </Cell>
          <Cell>{r.actorEmail || <span className="text-slate-400">system</span>}</Cell>
          <Cell>
            {describeAction(r.action)}
            {r.target ? <span className="text-slate-500"> — {r.target}</span> : null}
          </Cell>
          <Cell className="text-slate-600 dark:text-slate-400">
            {formatDetails(r.details)}
            {r.ip ? <span className="ml-1 text-xs text-slate-400">({r.ip})</span> : null}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}
