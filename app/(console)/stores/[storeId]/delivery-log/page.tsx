import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import { DELIVERY_FILTERS, getDeliveryLog, type DeliveryFilter } from '@/lib/notifications/delivery-queries';

export const metadata: Metadata = { title: 'Delivery log' };

const FILTER_LABELS: Record<DeliveryFilter, string> = { all: 'All', failed: 'Failed', notification: 'Notifications', test: 'Tests' };
const EMPTY: Record<DeliveryFilter, string> = {
  all: 'Nothing sent yet. Use Test Server on the Notifications tab, or send through the API (API access tab).',
  failed: 'No failed sends.',
  notification: 'No notifications sent through the API yet.',
  test: 'No test emails yet.',
};

export default async function DeliveryLogPage(props: { params: Promise<{ storeId: string }>; searchParams: Promise<{ show?: string }> }) {
  await requireUser();
  const { storeId } = await props.params;
  const { show } = await props.searchParams;
  const filter = DELIVERY_FILTERS.find((f) => f === show) ?? 'all';
  const rows = await getDeliveryLog(storeId, filter);
  const filters = (
    <nav aria-label="Show" className="flex gap-1 text-sm">
      {DELIVERY_FILTERS.map((f) => (
        <Link key={f} href={`/stores/${storeId}/delivery-log${f === 'all' ? '' : `?show=${f}`}`} aria-current={f === filter ? 'page' : undefined}
          className={`rounded-md px-2.5 py-1 ${f === filter ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800'}`}>
          {FILTER_LABELS[f]}
        </Link>
      ))}
    </nav>
  );
  return (
    <Card title="Delivery log" description="The last 100 test emails and notifications sent through this store's settings." actions={filters}>
      {rows.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-500">
          {EMPTY[filter]}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                {['When', 'What', 'By', 'Recipients', 'Result', 'Reply', 'Duration'].map((h) => (
                  <th key={h} scope="col" className="py-2 pr-4 font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((r) => (
                <tr key={r.id} className="align-top">
                  <td className="py-2 pr-4 whitespace-nowrap text-slate-600 dark:text-slate-400">{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
                  <td className="py-2 pr-4">
                    {r.kind === 'notification' ? 'Notification' : 'Test'}
                    {r.subject ? <span className="block max-w-xs truncate text-xs text-slate-500" title={r.subject}>{r.subject}</span> : null}
                  </td>
                  <td className="py-2 pr-4">{r.actorEmail}</td>
                  <td className="py-2 pr-4">{r.recipient}</td>
                  <td className={`py-2 pr-4 font-medium ${r.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}>
                    {r.ok ? 'Delivered' : `Failed at ${STEP_LABELS[r.failedStep as StepName] ?? r.failedStep}`}
                    {r.queueId ? <span className="block text-xs font-normal text-slate-500">queue id {r.queueId}</span> : null}
                  </td>
                  <td className="max-w-md py-2 pr-4 font-mono text-xs break-words">{[r.replyCode, r.replyText].filter(Boolean).join(' ')}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">{(r.durationMs / 1000).toFixed(1)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
