import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConsoleNav } from '@/components/shell/console-nav';
import { Logo } from '@/components/shell/logo';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { requireUser } from '@/lib/auth/session';
import { canChangeSettings } from '@/lib/auth/roles';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-b border-slate-200 bg-white md:w-60 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900">
        <div className="flex h-14 items-center px-5">
          <Logo />
        </div>
        <ConsoleNav isAdmin={canChangeSettings(user)} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 text-sm dark:border-slate-800 dark:bg-slate-900">
          <Link
            href="/account"
            className="text-slate-600 hover:underline dark:text-slate-400"
            data-testid="current-user"
            title="Account and password"
          >
            {user.name || user.email}
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              {user.role}
            </span>
          </Link>
          <SignOutButton />
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
