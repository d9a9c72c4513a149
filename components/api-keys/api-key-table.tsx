'use client';

import { removeApiKey } from '@/app/(console)/stores/[storeId]/api/actions';
import { RevocableCells, useRevoke, when } from '@/components/ui/revocable';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import type { ApiKeyRow } from '@/lib/api-keys/queries';

export function ApiKeyTable({ storeId, keys, canEdit }: { storeId: string; keys: ApiKeyRow[]; canEdit: boolean }) {
  const { pending, revoke, notice } = useRevoke();

  if (!keys.length) return <EmptyState>No API keys yet.</EmptyState>;
  return (
    <div className="space-y-3">
      {notice}
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
            <RevocableCells
              revokedAt={k.revokedAt}
              name={k.name}
              canEdit={canEdit}
              pending={pending}
              onRevoke={() =>
                revoke(`Revoke “${k.name}”? Systems using it can no longer send notifications.`, () =>
                  removeApiKey({ storeId, id: k.id }),
                )
              }
            />
          </tr>
        ))}
      </Table>
    </div>
  );
}
