'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function StoreTabs({ storeId }: { storeId: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: `/stores/${storeId}/notifications`, label: 'Notifications' },
    { href: `/stores/${storeId}/queue`, label: 'Queue' },
    { href: `/stores/${storeId}/delivery-log`, label: 'Delivery log' },
    { href: `/stores/${storeId}/api`, label: 'API access' },
    { href: `/stores/${storeId}/relay`, label: 'SMTP relay' },
    { href: `/stores/${storeId}/general`, label: 'General' },
  ];
  return (
    <nav aria-label="Store settings" className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => {
        const active = pathname.startsWith(t.href);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? 'page' : undefined}
            className={`-mb-px shrink-0 border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap ${active ? 'border-indigo-600 text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400'}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
