import type { ReactNode } from 'react';
import { BodyViewer } from '@/components/queue/body-viewer';
import { MessageActions } from '@/components/queue/queue-actions';
import { StateBadge } from '@/components/queue/state-badge';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { formatUtc } from '@/lib/format';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import type { QueueMessage } from '@/lib/outbox/queries';
import type { ReplyView } from '@/lib/outbox/status';
import { KIND_LABELS, type AdviceRecord, type OutboxKind } from '@/lib/outbox/types';

const OUTCOMES: Record<string, string> = {
  sent: 'Sent',
  temporary: 'Temporary failure, retried',
  permanent: 'Failed',
  paused: 'Held: store needs reconnecting',
  interrupted: 'Interrupted (process stopped)',
};

const stepLabel = (step: string | null) => (step ? (STEP_LABELS[step as StepName] ?? step) : '');
const replyText = (r: ReplyView | null) => (r ? [r.code, r.enhanced, r.text].filter(Boolean).join(' ') : '');

function Advice({ advice }: { advice: AdviceRecord }) {
  return (
    <div data-testid="advice">
      <p className="font-medium">{advice.title}</p>
      <p className="text-slate-600 dark:text-slate-400">{advice.detail}</p>
      {advice.docs ? (
        <a href={advice.docs} target="_blank" rel="noreferrer" className="text-indigo-700 underline dark:text-indigo-300">
          Documentation
        </a>
      ) : null}
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words">{children || '—'}</dd>
    </div>
  );
}

/** One queued message: its headers and envelope, what happened at each attempt, and what an admin may do. */
export function MessageDetail({
  m,
  canEdit,
  storeId,
  listPath,
}: {
  m: QueueMessage;
  canEdit: boolean;
  /** Set on a store's Queue page: the actions stay within that store. */
  storeId?: string;
  listPath: string;
}) {
  return (
    <div className="space-y-6">
      <Card title={m.subject || '(no subject)'} description={<StateBadge state={m.state} />}>
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm">
          <Row label="Message-ID">
            <span className="font-mono text-xs">{m.messageId}</span>
          </Row>
          <Row label="From">{m.envelopeFrom}</Row>
          <Row label="To">{m.to.join(', ')}</Row>
          <Row label="Cc">{m.cc.join(', ')}</Row>
          <Row label="Envelope recipients">{m.recipients.join(', ')}</Row>
          <Row label="Store">{m.storeName}</Row>
          <Row label="Kind">{`${KIND_LABELS[m.kind as OutboxKind] ?? m.kind}${m.source ? ` · ${m.source}` : ''}`}</Row>
          <Row label="Client address">{m.clientAddress}</Row>
          <Row label="Transport">{m.transport === 'graph' ? 'Microsoft Graph' : 'SMTP'}</Row>
          <Row label="Queued">{formatUtc(m.createdAt, 'second')}</Row>
          {m.nextAttemptAt ? <Row label="Next attempt">{formatUtc(m.nextAttemptAt, 'second')}</Row> : null}
          {m.sentAt ? <Row label="Sent">{formatUtc(m.sentAt, 'second')}</Row> : null}
          {m.finishedAt && !m.sentAt ? <Row label="Finished">{formatUtc(m.finishedAt, 'second')}</Row> : null}
          {m.queueId ? <Row label="Server queue id">{m.queueId}</Row> : null}
          {m.rejected.length ? (
            <Row label="Refused recipients">{m.rejected.map((r) => `${r.address} (${r.reply})`).join(', ')}</Row>
          ) : null}
          <Row label="Size">{`${m.bodyBytes.toLocaleString('en')} bytes`}</Row>
        </dl>
      </Card>

      {m.paused ? (
        <Alert tone="warning" title="This store’s queue is on hold">
          {m.paused}
        </Alert>
      ) : null}
      {m.lastError && m.state !== 'sent' ? (
        <Alert
          tone={m.state === 'failed' ? 'error' : 'warning'}
          title={`${m.state === 'failed' ? 'Failed' : 'Last attempt failed'}${m.lastError.step ? ` at ${stepLabel(m.lastError.step)}` : ''}`}
        >
          <p className="font-mono text-xs">{replyText(m.lastError.reply)}</p>
          {m.lastError.detail ? <p>{m.lastError.detail}</p> : null}
          {m.lastError.advice ? (
            <div className="mt-2">
              <Advice advice={m.lastError.advice} />
            </div>
          ) : null}
        </Alert>
      ) : null}

      <Card title="Actions">
        {canEdit ? (
          <MessageActions id={m.id} storeId={storeId} state={m.state} listPath={listPath} />
        ) : (
          <p className="text-sm text-slate-500">Only admins can retry, cancel or delete messages. Your account is read-only.</p>
        )}
      </Card>

      <Card title="Attempts" description="Each delivery attempt: when, the step it reached, the server’s reply and the advice.">
        {m.attempts.length === 0 ? (
          <EmptyState>No attempt yet.</EmptyState>
        ) : (
          <Table columns={['#', 'When', 'Outcome', 'Step', 'Reply', 'Advice', 'Retry at']}>
            {m.attempts.map((a, i) => (
              <tr key={i} className="align-top" data-testid="attempt-row">
                <Cell>{a.number}</Cell>
                <Cell className="whitespace-nowrap">
                  {formatUtc(a.at, 'second')}
                  {m.attemptDetails[i] ? (
                    <span className="block text-xs text-slate-500">
                      {(m.attemptDetails[i].durationMs / 1000).toFixed(1)} s · {m.attemptDetails[i].worker}
                    </span>
                  ) : null}
                </Cell>
                <Cell>{OUTCOMES[a.outcome] ?? a.outcome}</Cell>
                <Cell>{stepLabel(a.step)}</Cell>
                <Cell className="max-w-xs text-xs">
                  <span className="font-mono break-words">{replyText(a.reply)}</span>
                  {a.detail ? <span className="block text-slate-600 dark:text-slate-400">{a.detail}</span> : null}
                </Cell>
                <Cell className="max-w-sm text-xs">{a.advice ? <Advice advice={a.advice} /> : null}</Cell>
                <Cell className="whitespace-nowrap">{a.retryAt ? formatUtc(a.retryAt, 'second') : ''}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card title="Body">
        {!m.hasBody ? (
          <p className="text-sm text-slate-500">
            Removed by the retention policy{m.bodyPurgedAt ? ` on ${formatUtc(m.bodyPurgedAt, 'day')}` : ''}.
          </p>
        ) : canEdit ? (
          <BodyViewer id={m.id} storeId={storeId} />
        ) : (
          <p className="text-sm text-slate-500">Only admins can read a message’s body.</p>
        )}
      </Card>
    </div>
  );
}
