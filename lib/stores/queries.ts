import 'server-only';
import { db } from '@/lib/db';

export function listStores() {
  return db.identityStore.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      type: true,
      updatedAt: true,
      profile: { select: { host: true, port: true, useAuth: true, authType: true, fromAddress: true } },
    },
  });
}

export function getStore(id: string) {
  return db.identityStore.findUnique({ where: { id }, select: { id: true, name: true, type: true, createdAt: true } });
}
