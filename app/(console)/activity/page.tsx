import type { Metadata } from 'next';
import Link from 'next/link';
import { ActivityTable } from '@/components/activity/activity-table';
import { ACTIVITY_KINDS } from '@/components/activity/describe-event';
import { Card, PageHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { getActivity, getActivityFilterChoices } from '@/lib/activity/queries';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Activity' };

type Params = { page?: string; store?: string; actor?: string; kind?: string; failed?: string };

const isKind = (k: string | undefined): k is keyof typeof ACTIVITY_KINDS => !!k && k in ACTIVITY_KINDS;

export default async function ActivityPage(props: { searchParams: Promise<Params> }) {
  await requireUser();
  const q = await props.searchParams;
  const filter = {
    target: q.store || undefined,
    actor: q.actor || undefined,
    action: isKind(q.kind) ? q.kind : undefined,
    failedOnly: q.failed === '1',
  };
  const [{ rows, page, pages, total }, choices] = await Promise.all([
    getActivity({ ...filter, page: Number(q.page) || 1 }),
    getActivityFilterChoices(),
  ]);
  const link = (p: number) => {
    const params = new URLSearchParams(
      Object.entries({ ...q, page: String(p) }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
    );
    return `/activity?${params.toString()}`;
  };
  const filtered = Boolean(filter.target || filter.actor || filter.action || filter.failedOnly);
  return (
    <>
      <PageHeader
        title="Activity"
        description="Every sign-in, settings change and test email, newest first. Secret values are never recorded."
      />
      <Card>
        <form
          method="get"
          action="/activity"
          aria-label="Filter activity"
          className="mb-4 flex flex-wrap items-end gap-3 text-sm"
        >
          <FilterSelect name="store" label="Store" value={q.store} options={choices.stores} all="All stores" />
          <FilterSelect name="actor" label="Who" value={q.actor} options={choices.actors} all="Everyone" />
          <FilterSelect
            name="kind"
            label="Kind"
            value={q.kind}
            options={Object.keys(ACTIVITY_KINDS)}
            labels={ACTIVITY_KINDS}
            all="Everything"
          />
          <label className="flex items-center gap-2 pb-2">
            <input
              type="checkbox"
              name="failed"
              value="1"
              defaultChecked={filter.failedOnly}
              className="h-4 w-4 shrink-0 rounded border-slate-300"
            />
            Failed only
          </label>
          <button
            type="submit"
            className="rounded-md bg-indigo-600 px-3.5 py-2 font-medium text-white shadow-sm hover:bg-indigo-500"
          >
            Filter
          </button>
          {filtered ? (
            <Link href="/activity" className="pb-2 underline">
              Show all
            </Link>
          ) : null}
        </form>
        <ActivityTable rows={rows} empty={filtered ? 'Nothing matches these filters.' : undefined} />
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-600 dark:text-slate-400">
          <span>
            {total} entries · page {page} of {pages}
          </span>
          <span className="flex gap-3">
            {page > 1 ? (
              <Link className="underline" href={link(page - 1)}>
                Newer
              </Link>
            ) : null}
            {page < pages ? (
              <Link className="underline" href={link(page + 1)}>
                Older
              </Link>
            ) : null}
          </span>
        </nav>
      </Card>
    </>
  );
}

function FilterSelect({
  name,
  label,
  value,
  options,
  labels,
  all,
}: {
  name: string;
  label: string;
  value?: string;
  options: readonly string[];
  labels?: Record<string, string>;
  all: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={`activity-${name}`} className="block font-medium">
        {label}
      </label>
      <Select id={`activity-${name}`} name={name} defaultValue={value ?? ''} className="min-w-40">
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
          </option>
        ))}
      </Select>
    </div>
  );
}
