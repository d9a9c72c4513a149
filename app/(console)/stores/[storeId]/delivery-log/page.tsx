import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { requireUser } from '@/lib/auth/session';
import { formatUtc } from '@/lib/format';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import { DELIVERY_FILTERS, getDeliveryLog, type DeliveryFilter } from '@/lib/notifications/delivery-queries';

export const metadata: Metadata = { title: 'Delivery log' };

const FILTER_LABELS: Record<DeliveryFilter, string> = {
  all: 'All',
  failed: 'Failed',
  notification: 'Notifications',
  relay: 'Relay',
  test: 'Tests',
};
const KIND_LABELS: Record<string, string> = { notification: 'Notification', relay: 'Relay', alert: 'Alert', test: 'Test' };

/** Recipients the server refused while it accepted the others. */
function refusedOf(json: string): { address: string; reply: string }[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as { address: string; reply: string }[]) : [];
  } catch {
    return [];
  }
}
const EMPTY: Record<DeliveryFilter, string> = {
  all: 'Nothing sent yet. Use Test Server on the Notifications tab, or send through the API (API access tab).',
  failed: 'No failed sends.',
  notification: 'No notifications sent through the API yet.',
  relay: 'No messages through the SMTP relay yet (SMTP relay tab).',
  test: 'No test emails yet.',
};

export default async function DeliveryLogPage(props: {
  params: Promise<{ storeId: string }>;
  searchParams: Promise<{ show?: string }>;
}) {
  await requireUser();
  const { storeId } = await props.params;
  const { show } = await props.searchParams;
  const filter = DELIVERY_FILTERS.find((f) => f === show) ?? 'all';
  const rows = await getDeliveryLog(storeId, filter);
  const filters = (
    <nav aria-label="Show" className="flex gap-1 text-sm">
      {DELIVERY_FILTERS.map((f) => (
        <Link
          key={f}
          href={`/stores/${storeId}/delivery-log${f === 'all' ? '' : `?show=${f}`}`}
          aria-current={f === filter ? 'page' : undefined}
          className={`rounded-md px-2.5 py-1 ${f === filter ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800'}`}
        >
          {FILTER_LABELS[f]}
        </Link>
      ))}
    </nav>
  );
  return (
    <Card
      title="Delivery log"
      description="The last 100 test emails, notifications and relayed messages sent through this store's settings."
      actions={filters}
    >
      {rows.length === 0 ? (
        <EmptyState>{EMPTY[filter]}</EmptyState>
      ) : (
        // Sized to fit a 1280 px window beside the menu: long values wrap inside their column.
        <Table columns={['When', 'What', 'Recipients', 'Result', 'Reply', 'Duration']}>
          {rows.map((r) => (
            <tr key={r.id} className="align-top">
              <Cell className="w-28 text-slate-600 dark:text-slate-400">{formatUtc(r.createdAt, 'second')}</Cell>
              <Cell>
                {KIND_LABELS[r.kind] ?? r.kind}
                {r.actorEmail ? (
                  <span className="block text-xs text-slate-500 [overflow-wrap:anywhere]">by {r.actorEmail}</span>
                ) : null}
                {r.clientAddress ? <span className="block text-xs text-slate-500">from {r.clientAddress}</span> : null}
                {r.subject ? (
                  <span className="block max-w-48 truncate text-xs text-slate-500" title={r.subject}>
                    {r.subject}
                  </span>
                ) : null}
              </Cell>
              <Cell>
                <span className="block max-w-48 [overflow-wrap:anywhere]">{r.recipient}</span>
              </Cell>
              <Cell
                className={`font-medium ${r.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}
              >
                {r.ok ? 'Delivered' : `Failed at ${STEP_LABELS[r.failedStep as StepName] ?? r.failedStep}`}
                {r.queueId ? <span className="block text-xs font-normal text-slate-500">queue id {r.queueId}</span> : null}
                {refusedOf(r.rejected).map((x) => (
                  <span key={x.address} className="block text-xs font-normal text-rose-700 dark:text-rose-400">
                    refused {x.address}: {x.reply}
                  </span>
                ))}
              </Cell>
              <Cell className="font-mono text-xs">
                <span className="block max-w-64 [overflow-wrap:anywhere]">
                  {[r.replyCode, r.replyText].filter(Boolean).join(' ')}
                </span>
              </Cell>
              <Cell className="whitespace-nowrap">{(r.durationMs / 1000).toFixed(1)} s</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
