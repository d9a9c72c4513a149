import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import { hasAnyUser } from '@/lib/users/service';

export const metadata: Metadata = { title: 'First-run setup' };

export default async function SetupPage() {
  if (await hasAnyUser()) redirect('/login');
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Welcome to Mailroom</h1>
      <p className="mb-6 text-sm text-slate-500 dark:text-slate-400">
        Create the first admin account. This page is only available until an account exists.
      </p>
      <SetupForm />
    </>
  );
}
