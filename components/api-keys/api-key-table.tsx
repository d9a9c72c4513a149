'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { removeApiKey } from '@/app/(console)/stores/[storeId]/api/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ApiKeyRow } from '@/lib/api-keys/queries';
import { callAction } from '@/lib/call-action';

const when = (d: Date | null) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—');

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

  if (!keys.length) return <p className="py-4 text-center text-sm text-slate-500">No API keys yet.</p>;
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert> : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
            <tr>
              {['Name', 'Key', 'Created', 'Last used', 'Status', ''].map((h, i) => (
                <th key={i} scope="col" className="py-2 pr-4 font-medium">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {keys.map((k) => (
              <tr key={k.id} data-testid="api-key-row" className={k.revokedAt ? 'text-slate-400' : ''}>
                <td className="py-2 pr-4 font-medium">{k.name}</td>
                <td className="py-2 pr-4 font-mono text-xs">{k.prefix}…</td>
                <td className="py-2 pr-4 whitespace-nowrap">{when(k.createdAt)}<span className="block text-xs text-slate-500">{k.createdBy}</span></td>
                <td className="py-2 pr-4 whitespace-nowrap">{when(k.lastUsedAt)}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{k.revokedAt ? `Revoked ${when(k.revokedAt)}` : <span className="font-medium text-emerald-700 dark:text-emerald-400">Active</span>}</td>
                <td className="py-2 text-right">
                  {canEdit && !k.revokedAt ? (
                    <Button variant="ghost" disabled={pending} onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>Revoke</Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
