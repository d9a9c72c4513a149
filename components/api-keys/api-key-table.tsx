'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { removeApiKey } from '@/app/(console)/stores/[storeId]/api/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import type { ApiKeyRow } from '@/lib/api-keys/queries';
import { callAction } from '@/lib/call-action';
import { formatUtc } from '@/lib/format';

const when = (d: Date | null) => (d ? formatUtc(d) : '—');

export function ApiKeyTable({ storeId, keys, canEdit }: { storeId: string; keys: ApiKeyRow[]; canEdit: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const revoke = (k: ApiKeyRow) => {
    if (!window.confirm(`Revoke “${k.name}”? Systems using it can no longer send notifications.`)) return;
    start(async () => {
      const res = await callAction(() => removeApiKey({ storeId, id: k.id }));
      setMessage({ ok: res.ok, text: res.message ?? (res.ok ? 'Revoked.' : 'Failed.') });
      router.refresh();
    });
  };

  if (!keys.length) return <EmptyState>No API keys yet.</EmptyState>;
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert> : null}
      <Table columns={['Name', 'Key', 'Created', 'Last used', 'Status', '']}>
        {keys.map((k) => (
          <tr key={k.id} data-testid="api-key-row" className={k.revokedAt ? 'text-slate-400' : ''}>
            <Cell className="font-medium">{k.name}</Cell>
            <Cell className="font-mono text-xs">{k.prefix}…</Cell>
            <Cell className="whitespace-nowrap">
              {when(k.createdAt)}
              <span className="block text-xs text-slate-500">{k.createdBy}</span>
            </Cell>
            <Cell className="whitespace-nowrap">{when(k.lastUsedAt)}</Cell>
            <Cell className="whitespace-nowrap">
              {k.revokedAt ? (
                `Revoked ${when(k.revokedAt)}`
              ) : (
                <span className="font-medium text-emerald-700 dark:text-emerald-400">Active</span>
              )}
            </Cell>
            <Cell className="text-right">
              {canEdit && !k.revokedAt ? (
                <Button variant="ghost" disabled={pending} onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>
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
