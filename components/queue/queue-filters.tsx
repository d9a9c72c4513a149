import Form from 'next/form';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { OUTBOX_KINDS, type QueueFilter } from '@/lib/outbox/queries';
import { KIND_LABELS, OUTBOX_STATES, STATE_LABELS } from '@/lib/outbox/types';

/** A GET form: the filter is in the address, so a filtered list can be bookmarked or shared. */
export function QueueFilters({ basePath, filter }: { basePath: string; filter: QueueFilter }) {
  const label = 'block text-xs font-medium text-slate-600 dark:text-slate-400';
  return (
    <Form action={basePath} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the queue">
      <label className={label}>
        State
        <Select name="state" defaultValue={filter.state ?? ''} className="mt-1 w-36">
          <option value="">Any</option>
          {OUTBOX_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABELS[s]}
            </option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Kind
        <Select name="kind" defaultValue={filter.kind ?? ''} className="mt-1 w-36">
          <option value="">Any</option>
          {OUTBOX_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Recipient
        <Input name="recipient" defaultValue={filter.recipient ?? ''} placeholder="jane@" className="mt-1 w-48" />
      </label>
      <label className={label}>
        Subject
        <Input name="subject" defaultValue={filter.subject ?? ''} placeholder="Password" className="mt-1 w-48" />
      </label>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      {filter.state || filter.kind || filter.recipient || filter.subject ? (
        <Link href={basePath} className="py-2 text-sm text-slate-600 underline dark:text-slate-400">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}
