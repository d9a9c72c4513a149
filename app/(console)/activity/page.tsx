import type { Metadata } from 'next';
import Link from 'next/link';
import { ActivityTable } from '@/components/activity/activity-table';
import { Card, PageHeader } from '@/components/ui/card';
import { getActivity } from '@/lib/activity/queries';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivityPage(props: { searchParams: Promise<{ page?: string }> }) {
  await requireUser();
  const { page: raw } = await props.searchParams;
  const { rows, page, pages, total } = await getActivity({ page: Number(raw) || 1 });
  return (
    <>
      <PageHeader
        title="Activity"
        description="Every sign-in, settings change and test email, newest first. Secret values are never recorded."
      />
      <Card>
        <ActivityTable rows={rows} />
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-600 dark:text-slate-400">
          <span>
            {total} entries · page {page} of {pages}
          </span>
          <span className="flex gap-3">
            {page > 1 ? (
              <Link className="underline" href={`/activity?page=${page - 1}`}>
                Newer
              </Link>
            ) : null}
            {page < pages ? (
              <Link className="underline" href={`/activity?page=${page + 1}`}>
                Older
              </Link>
            ) : null}
          </span>
        </nav>
      </Card>
    </>
  );
}
