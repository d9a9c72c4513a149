import 'server-only';
import { db } from '@/lib/db';
import { sourcesOf } from '@/lib/relay/credentials';
import type { FromPolicy } from '@/lib/validation/relay';

export type RelayCredentialRow = {
  id: string;
  username: string;
  sources: string[];
  fromPolicy: FromPolicy;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  lastUsedFrom: string;
  revokedAt: Date | null;
};

export async function listRelayCredentials(storeId: string): Promise<RelayCredentialRow[]> {
  const rows = await db.relayCredential.findMany({
    where: { storeId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    select: {
      id: true,
      username: true,
      sources: true,
      fromPolicy: true,
      createdAt: true,
      createdBy: true,
      lastUsedAt: true,
      lastUsedFrom: true,
      revokedAt: true,
    },
  });
  return rows.map((r) => ({
    ...r,
    sources: sourcesOf(r.sources),
    fromPolicy: r.fromPolicy === 'rewrite' ? 'rewrite' : 'refuse',
  }));
}

export async function getRelayAccess(storeId: string): Promise<{ openSources: string[]; fromPolicy: FromPolicy }> {
  const row = await db.relayAccess.findUnique({ where: { storeId }, select: { openSources: true, fromPolicy: true } });
  return { openSources: sourcesOf(row?.openSources ?? '[]'), fromPolicy: row?.fromPolicy === 'rewrite' ? 'rewrite' : 'refuse' };
}
