import Link from 'next/link';
import type { AttentionItem } from '@/lib/overview/attention';

const TONE = {
  error: 'border-l-rose-500 bg-rose-50 dark:bg-rose-950/40',
  warning: 'border-l-amber-500 bg-amber-50 dark:bg-amber-950/40',
} as const;

export function AttentionList({ items }: { items: AttentionItem[] }) {
  if (!items.length) {
    return (
      <p data-testid="attention-empty" className="py-2 text-sm text-emerald-700 dark:text-emerald-400">
        Nothing needs attention: every store is set up and its last send went through.
      </p>
    );
  }
  return (
    <ul className="space-y-2" data-testid="attention">
      {items.map((i) => (
        <li key={`${i.storeId}-${i.title}`} className={`rounded-md border-l-4 px-4 py-2 text-sm ${TONE[i.severity]}`}>
          <Link href={i.href} className="font-medium hover:underline">
            {i.storeName}: {i.title}
          </Link>
          <p className="text-slate-700 dark:text-slate-300">{i.detail}</p>
        </li>
      ))}
    </ul>
  );
}
