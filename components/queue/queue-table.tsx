import Link from 'next/link';
import { StateBadge } from '@/components/queue/state-badge';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { formatUtc } from '@/lib/format';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import type { QueueRow } from '@/lib/outbox/queries';
import { KIND_LABELS, PENDING_STATES, type OutboxKind } from '@/lib/outbox/types';

/** The queue's messages, newest first; each links to its detail under `basePath`. */
export function QueueTable({ rows, basePath, showStore }: { rows: QueueRow[]; basePath: string; showStore: boolean }) {
  if (!rows.length) return <EmptyState>No messages match.</EmptyState>;
  const columns = ['Queued', ...(showStore ? ['Store'] : []), 'Message', 'Recipients', 'State', 'Last reply'];
  return (
    <Table columns={columns}>
      {rows.map((r) => (
        <tr key={r.id} className="align-top" data-testid="queue-row">
          <Cell className="whitespace-nowrap text-slate-600 dark:text-slate-400">{formatUtc(r.createdAt, 'second')}</Cell>
          {showStore ? <Cell>{r.storeName}</Cell> : null}
          <Cell className="max-w-xs">
            <Link href={`${basePath}/${r.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              {r.subject || '(no subject)'}
            </Link>
            <span className="block text-xs text-slate-500">
              {KIND_LABELS[r.kind as OutboxKind] ?? r.kind}
              {r.source ? ` · ${r.source}` : ''}
            </span>
          </Cell>
          <Cell className="max-w-xs break-words">
            {r.recipients.slice(0, 3).join(', ')}
            {r.recipients.length > 3 ? ` +${r.recipients.length - 3}` : ''}
          </Cell>
          <Cell className="whitespace-nowrap">
            <StateBadge state={r.state} />
            <span className="block text-xs text-slate-500">
              {r.attempts} attempt{r.attempts === 1 ? '' : 's'}
              {PENDING_STATES.includes(r.state) && r.state !== 'sending' ? ` · next ${formatUtc(r.nextAttemptAt, 'second')}` : ''}
            </span>
          </Cell>
          <Cell className="max-w-md text-xs">
            {r.lastStep ? <span className="font-medium">{STEP_LABELS[r.lastStep as StepName] ?? r.lastStep}: </span> : null}
            <span className="font-mono break-words">{[r.lastReplyCode, r.lastReply].filter(Boolean).join(' ')}</span>
            {r.adviceTitle ? <span className="block text-slate-600 dark:text-slate-400">{r.adviceTitle}</span> : null}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}
