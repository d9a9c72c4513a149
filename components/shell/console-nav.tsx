'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const items = [
  { href: '/', label: 'Overview', exact: true },
  { href: '/stores', label: 'Identity Stores' },
  { href: '/queue', label: 'Queue' },
  { href: '/activity', label: 'Activity' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/users', label: 'Users', adminOnly: true },
  { href: '/settings', label: 'Settings' },
  { href: '/account', label: 'Account' },
];

export function ConsoleNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-col md:pb-0">
      {items
        .filter((i) => isAdmin || !i.adminOnly)
        .map((i) => {
          const active = i.exact ? pathname === i.href : pathname === i.href || pathname.startsWith(`${i.href}/`);
          return (
            <Link
              key={i.href}
              href={i.href}
              aria-current={active ? 'page' : undefined}
              className={`rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
                active
                  ? 'bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-200'
                  : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {i.label}
            </Link>
          );
        })}
    </nav>
  );
}
