'use client';

import { Button } from '@/components/ui/button';

/** Errors outside a console page (the console layout, the sign-in pages): the server could not answer. */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Mailroom could not load this page</h1>
      <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
        The server could not complete the request — most often because the database is unavailable. Nothing was changed. Once{' '}
        <a className="text-indigo-600 underline" href="/api/health">
          /api/health
        </a>{' '}
        reports the database as ok, try again.
      </p>
      {error.digest ? <p className="text-xs text-slate-500">Reference: {error.digest} (in the server log)</p> : null}
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
