import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Alert } from '@/components/ui/alert';
import { sameOriginPath } from '@/lib/auth/redirect';
import { getCurrentUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { hasAnyUser } from '@/lib/users/service';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage(props: { searchParams: Promise<{ callbackUrl?: string; password?: string }> }) {
  if (!(await hasAnyUser())) redirect('/setup');
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl, password } = await props.searchParams;
  // An open redirect after sign-in would be a phishing aid.
  const next = sameOriginPath(callbackUrl, getEnv().APP_URL);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-500 dark:text-slate-400">Use your Mailroom admin account.</p>
      {password === 'changed' ? (
        <div className="mb-4">
          <Alert tone="success">Your password was changed and every session was signed out. Sign in with the new password.</Alert>
        </div>
      ) : null}
      <SignInForm callbackUrl={next} />
    </>
  );
}
