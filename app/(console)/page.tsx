import type { Metadata } from 'next';
import Link from 'next/link';
import { ActivityTable } from '@/components/activity/activity-table';
import { AttentionList } from '@/components/overview/attention-list';
import { StoreQueues } from '@/components/overview/store-queues';
import { Card, PageHeader } from '@/components/ui/card';
import { getActivity } from '@/lib/activity/queries';
import { requireUser } from '@/lib/auth/session';
import { getOverview } from '@/lib/overview/queries';
import { BACKLOG_ATTENTION_MINUTES } from '@/lib/overview/queue-attention';
import { canChangeSettings } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const user = await requireUser();
  const [overview, activity] = await Promise.all([getOverview(), getActivity({ take: 8 })]);
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${user.email}.`} />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Identity stores" value={overview.stores} href="/stores" />
        <Stat label="Sent in the last 24 h" value={`${overview.sent} sent · ${overview.failed} failed`} />
        <Stat label="Users" value={overview.users} href={canChangeSettings(user) ? '/users' : undefined} />
        <Stat label="Database" value={overview.database} />
      </div>
      <div className="mb-6">
        {overview.stores === 0 ? (
          <Card title="Welcome to Mailroom" description="No identity store is set up yet, so no notification can go out.">
            <div className="space-y-3 text-sm" data-testid="first-run">
              <p>
                An identity store holds one directory&apos;s notification settings: the mail server or Microsoft Graph, how
                Mailroom signs in, and who gets which notification.
              </p>
              {canChangeSettings(user) ? (
                <Link
                  href="/stores"
                  className="inline-flex rounded-md bg-indigo-600 px-3.5 py-2 font-medium text-white shadow-sm hover:bg-indigo-500"
                >
                  Create your first store
                </Link>
              ) : (
                <p className="text-slate-500">Ask an admin to create the first store.</p>
              )}
            </div>
          </Card>
        ) : (
          <Card title="Needs attention" description="What would stop a notification from going out, store by store.">
            <AttentionList items={overview.attention} />
          </Card>
        )}
      </div>
      <div className="mb-6">
        <Card
          title="Queues"
          description={`Messages waiting per store. A store needs attention when a message has waited over ${BACKLOG_ATTENTION_MINUTES} minutes, or its recipients near the daily limit.`}
          actions={
            <Link href="/queue" className="text-sm text-indigo-600 underline dark:text-indigo-400">
              All messages
            </Link>
          }
        >
          <StoreQueues queues={overview.queues} now={new Date()} />
        </Card>
      </div>
      <Card
        title="Recent activity"
        actions={
          <Link href="/activity" className="text-sm text-indigo-600 underline dark:text-indigo-400">
            All activity
          </Link>
        }
      >
        <ActivityTable rows={activity.rows} />
      </Card>
    </>
  );
}

function Stat({ label, value, href }: { label: string; value: string | number; href?: string }) {
  const body = (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold">{value}</p>
    </div>
  );
  return href ? (
    <Link href={href} className="block hover:opacity-90">
      {body}
    </Link>
  ) : (
    body
  );
}
