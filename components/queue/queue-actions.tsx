'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { cancelQueuedMessage, deleteQueuedMessage, retryFailedMessages, retryMessage } from '@/app/(console)/queue/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';
import type { OutboxState } from '@/lib/outbox/types';

function useQueueAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const run = (call: () => Promise<ActionResult>, after?: () => void) =>
    start(async () => {
      const res = await callAction(call);
      setOutcome({ ok: res.ok, text: res.message ?? (res.ok ? 'Done.' : 'Failed.') });
      if (res.ok && after) after();
      else router.refresh();
    });
  const message = outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.text}</Alert> : null;
  return { pending, run, message, router };
}

/** Retry now, Cancel and Delete for one message, offered only where the state allows them. */
export function MessageActions({
  id,
  storeId,
  state,
  listPath,
}: {
  id: string;
  storeId?: string;
  state: OutboxState;
  listPath: string;
}) {
  const { pending, run, message, router } = useQueueAction();
  const input = { id, ...(storeId && { storeId }) };
  const sending = state === 'sending';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {state === 'failed' || state === 'retrying' || state === 'queued' ? (
          <Button disabled={pending} onClick={() => run(() => retryMessage(input))}>
            Retry now
          </Button>
        ) : null}
        {state === 'failed' || state === 'retrying' || state === 'queued' ? (
          <Button
            variant="secondary"
            disabled={pending}
            onClick={() => window.confirm('Cancel this message? It will not be sent.') && run(() => cancelQueuedMessage(input))}
          >
            Cancel
          </Button>
        ) : null}
        <Button
          variant="danger"
          disabled={pending || sending}
          title={sending ? 'A message cannot be deleted while it is being sent.' : undefined}
          onClick={() =>
            window.confirm(
              state === 'sent' || state === 'cancelled'
                ? 'Delete this message from the queue?'
                : 'Delete this message? It has not been sent and never will be.',
            ) &&
            run(
              () => deleteQueuedMessage(input),
              () => router.push(listPath),
            )
          }
        >
          Delete
        </Button>
      </div>
      {sending ? (
        <p className="text-sm text-slate-500">This message is being sent right now; actions return when the attempt finishes.</p>
      ) : null}
      {message}
    </div>
  );
}

export function RetryAllFailedButton({ storeId, failed }: { storeId?: string; failed: number }) {
  const { pending, run, message } = useQueueAction();
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        disabled={pending || failed === 0}
        onClick={() =>
          window.confirm(`Send all ${failed} failed message${failed === 1 ? '' : 's'} again now?`) &&
          run(() => retryFailedMessages(storeId ? { storeId } : {}))
        }
      >
        Retry all failed
      </Button>
      {message}
    </div>
  );
}
