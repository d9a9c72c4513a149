'use client';

import { removeRelayCredential } from '@/app/(console)/stores/[storeId]/relay/actions';
import { RevocableCells, useRevoke, when } from '@/components/ui/revocable';
import { Cell, EmptyState, Table } from '@/components/ui/table';
import type { RelayCredentialRow } from '@/lib/relay/queries';

export function RelayCredentialTable({
  storeId,
  credentials,
  canEdit,
}: {
  storeId: string;
  credentials: RelayCredentialRow[];
  canEdit: boolean;
}) {
  const { pending, revoke, notice } = useRevoke();

  if (!credentials.length) return <EmptyState>No relay credentials yet.</EmptyState>;
  return (
    <div className="space-y-3">
      {notice}
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
            <RevocableCells
              revokedAt={c.revokedAt}
              name={c.username}
              canEdit={canEdit}
              pending={pending}
              onRevoke={() =>
                revoke(`Revoke “${c.username}”? Systems using it can no longer send through the relay.`, () =>
                  removeRelayCredential({ storeId, id: c.id }),
                )
              }
            />
          </tr>
        ))}
      </Table>
    </div>
  );
}
