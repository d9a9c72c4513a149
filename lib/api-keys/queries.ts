import 'server-only';
import { db } from '@/lib/db';

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function listApiKeys(storeId: string): Promise<ApiKeyRow[]> {
  return db.apiKey.findMany({
    where: { storeId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    select: { id: true, name: true, prefix: true, createdAt: true, createdBy: true, lastUsedAt: true, revokedAt: true },
  });
}
