import { describeAddress, describeEvent } from '@/components/activity/describe-event';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import type { ActivityRow } from '@/lib/activity/queries';
import { formatUtc } from '@/lib/format';

export function ActivityTable({ rows, empty = 'No activity yet.' }: { rows: ActivityRow[]; empty?: string }) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <Table columns={['When', 'Who', 'What happened', 'From']}>
      {rows.map((r) => (
        <tr key={r.id} className="align-top" data-testid="activity-row">
          <Cell className="w-28 text-slate-600 dark:text-slate-400">
            <time dateTime={r.createdAt.toISOString()}>{formatUtc(r.createdAt, 'second')}</time>
          </Cell>
          <Cell className="[overflow-wrap:anywhere]">{r.actorEmail || <span className="text-slate-400">system</span>}</Cell>
          <Cell>{describeEvent(r)}</Cell>
          <Cell className="text-slate-600 dark:text-slate-400">
            {r.ip ? (
              <span title={r.ip} data-testid="activity-address">
                {describeAddress(r.ip)}
              </span>
            ) : null}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}
