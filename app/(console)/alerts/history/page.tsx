import type { Metadata } from 'next';
import Link from 'next/link';
import { HistoryTable } from '@/components/alerts/history-table';
import { Card, PageHeader } from '@/components/ui/card';
import { getAlertHistory } from '@/lib/alerts/queries';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Alert history' };

export default async function AlertHistoryPage() {
  await requireUser();
  const rows = await getAlertHistory();
  return (
    <>
      <PageHeader
        title="Alert history"
        description="Every alert raised, repeated or resolved, and every test, on each channel: newest first, the last 200."
        actions={
          <Link href="/alerts" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
            Back to Alerts
          </Link>
        }
      />
      <Card>
        <HistoryTable rows={rows} />
      </Card>
    </>
  );
}
