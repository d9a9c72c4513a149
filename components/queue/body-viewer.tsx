'use client';

import { useState, useTransition } from 'react';
import { showMessageBody } from '@/app/(console)/queue/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { callAction } from '@/lib/call-action';
import type { MessageBody } from '@/lib/outbox/service';

const pre =
  'max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-words dark:bg-slate-950';

/** The body stays on the server until an admin asks for it; the request is in the activity log. */
export function BodyViewer({ id, storeId }: { id: string; storeId?: string }) {
  const [pending, start] = useTransition();
  const [body, setBody] = useState<MessageBody>();
  const [error, setError] = useState<string>();
  const show = () =>
    start(async () => {
      const res = await callAction(() => showMessageBody({ id, ...(storeId && { storeId }) }));
      if (res.ok && res.data) setBody(res.data);
      else setError(res.ok ? 'No body.' : res.message);
    });
  if (body)
    return 'raw' in body ? (
      <pre className={pre} data-testid="message-body">
        {body.raw}
      </pre>
    ) : (
      <div className="space-y-2">
        <pre className={pre} data-testid="message-body">
          {body.text}
        </pre>
        {body.html ? (
          <details>
            <summary className="cursor-pointer text-sm text-slate-600 dark:text-slate-400">HTML part (source)</summary>
            <pre className={pre}>{body.html}</pre>
          </details>
        ) : null}
      </div>
    );
  return (
    <div className="space-y-2">
      <Button variant="secondary" disabled={pending} onClick={show}>
        Show body
      </Button>
      <p className="text-xs text-slate-500">Reading the body is recorded in the activity log.</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
