'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="error" title="This page could not be loaded">
        The server could not complete the request — most often because the database is unavailable. Nothing was changed.
        {error.digest ? <span className="block text-xs opacity-75">Reference: {error.digest} (in the server log)</span> : null}
      </Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
