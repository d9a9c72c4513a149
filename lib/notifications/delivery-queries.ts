import 'server-only';
import { db } from '@/lib/db';

export const DELIVERY_FILTERS = ['all', 'failed', 'notification', 'relay', 'test'] as const;
export type DeliveryFilter = (typeof DELIVERY_FILTERS)[number];

export function getDeliveryLog(storeId: string, filter: DeliveryFilter = 'all', take = 100) {
  return db.deliveryLog.findMany({
    where: { storeId, ...(filter === 'failed' ? { ok: false } : filter === 'all' ? {} : { kind: filter }) },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      createdAt: true,
      actorEmail: true,
      kind: true,
      transport: true,
      recipient: true,
      subject: true,
      ok: true,
      failedStep: true,
      replyCode: true,
      replyText: true,
      adviceId: true,
      queueId: true,
      durationMs: true,
      clientAddress: true,
      rejected: true,
    },
  });
}
