'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { removeAlertChannel, testAlertChannel } from '@/app/(console)/alerts/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { CHANNEL_LABELS, type ChannelKind } from '@/lib/alerts/kinds';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';

export type ChannelView = {
  id: string;
  name: string;
  kind: string;
  recipients: string;
  store: string;
  fallbackStore: string;
  urlHost: string;
};

function destination(c: ChannelView): string {
  if (c.kind !== 'email') return `${c.urlHost} (URL stored encrypted)`;
  const via = c.fallbackStore ? `${c.store}, fallback ${c.fallbackStore}` : c.store;
  return `${c.recipients} — through ${via}`;
}

export function ChannelList({ channels, canEdit }: { channels: ChannelView[]; canEdit: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const run = (call: () => Promise<ActionResult>) =>
    start(async () => {
      setMessage(undefined);
      const res = await callAction(call);
      setMessage({ ok: res.ok, text: res.message ?? (res.ok ? 'Done.' : 'Failed.') });
      router.refresh();
    });
  const remove = (c: ChannelView) => {
    if (!window.confirm(`Remove the channel “${c.name}”? Alerts are no longer sent to it.`)) return;
    run(() => removeAlertChannel({ id: c.id }));
  };

  if (!channels.length) return <EmptyState>No channels yet: alerts are recorded here but sent nowhere.</EmptyState>;
  return (
    <div className="space-y-3">
      {message ? (
        <div data-testid="channel-message">
          <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert>
        </div>
      ) : null}
      <Table columns={['Name', 'Kind', 'Sends to', '']}>
        {channels.map((c) => (
          <tr key={c.id} data-testid="alert-channel">
            <Cell className="font-medium">{c.name}</Cell>
            <Cell className="whitespace-nowrap">{CHANNEL_LABELS[c.kind as ChannelKind] ?? c.kind}</Cell>
            <Cell className="text-slate-600 dark:text-slate-400">{destination(c)}</Cell>
            <Cell className="whitespace-nowrap text-right">
              {canEdit ? (
                <>
                  <Button variant="secondary" disabled={pending} onClick={() => run(() => testAlertChannel({ id: c.id }))}>
                    Send test alert
                  </Button>
                  <Button variant="ghost" disabled={pending} onClick={() => remove(c)} aria-label={`Remove ${c.name}`}>
                    Remove
                  </Button>
                </>
              ) : null}
            </Cell>
          </tr>
        ))}
      </Table>
    </div>
  );
}
