'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { removeRelayCredential } from '@/app/(console)/stores/[storeId]/relay/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import { callAction } from '@/lib/call-action';
import { formatUtc } from '@/lib/format';
import type { RelayCredentialRow } from '@/lib/relay/queries';

const when = (d: Date | null) => (d ? formatUtc(d) : '—');

export function RelayCredentialTable({
  storeId,
  credentials,
  canEdit,
}: {
  storeId: string;
  credentials: RelayCredentialRow[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const revoke = (c: RelayCredentialRow) => {
    if (!window.confirm(`Revoke “${c.username}”? Systems using it can no longer send through the relay.`)) return;
    start(async () => {
      const res = await callAction(() => removeRelayCredential({ storeId, id: c.id }));
      setMessage({ ok: res.ok, text: res.message ?? (res.ok ? 'Revoked.' : 'Failed.') });
      router.refresh();
    });
  };

  if (!credentials.length) return <EmptyState>No relay credentials yet.</EmptyState>;
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert> : null}
      <Table columns={['Username', 'Allowed from', 'Other senders', 'Created', 'Last used', 'Status', '']}>
        {credentials.map((c) => (
          <tr key={c.id} data-testid="relay-credential-row" className={c.revokedAt ? 'text-slate-400' : ''}>
            <Cell className="font-mono text-xs font-medium">{c.username}</Cell>
            <Cell className="text-xs">{c.sources.length ? c.sources.join(', ') : 'Any address'}</Cell>
            <Cell className="text-xs">{c.fromPolicy === 'rewrite' ? 'Rewritten' : 'Refused'}</Cell>
            <Cell className="whitespace-nowrap">
              {when(c.createdAt)}
              <span className="block text-xs text-slate-500">{c.createdBy}</span>
            </Cell>
            <Cell className="whitespace-nowrap">
              {when(c.lastUsedAt)}
              {c.lastUsedFrom ? <span className="block text-xs text-slate-500">from {c.lastUsedFrom}</span> : null}
            </Cell>
            <Cell className="whitespace-nowrap">
              {c.revokedAt ? (
                `Revoked ${when(c.revokedAt)}`
              ) : (
                <span className="font-medium text-emerald-700 dark:text-emerald-400">Active</span>
              )}
            </Cell>
            <Cell className="text-right">
              {canEdit && !c.revokedAt ? (
                <Button variant="ghost" disabled={pending} onClick={() => revoke(c)} aria-label={`Revoke ${c.username}`}>
                  Revoke
                </Button>
              ) : null}
            </Cell>
          </tr>
        ))}
      </Table>
    </div>
  );
}
