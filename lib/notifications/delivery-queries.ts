import 'server-only';
import { db } from '../db';

export function getDeliveryLog(storeId: string, take = 100) {
  return db.deliveryLog.findMany({
    where: { storeId },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true, createdAt: true, actorEmail: true, kind: true, transport: true, recipient: true, subject: true, ok: true, failedStep: true,
      replyCode: true, replyText: true, adviceId: true, queueId: true, durationMs: true,
    },
  });
}
