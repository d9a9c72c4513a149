/**
 * Retention: the bodies of sent (and cancelled) messages are dropped after OUTBOX_BODY_RETENTION_DAYS,
 * the messages themselves after OUTBOX_RETENTION_DAYS. Failed messages are kept until an admin
 * retries, cancels or deletes them.
 */
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';

const DAY_MS = 86_400_000;

export async function applyRetention(now = new Date()): Promise<{ bodiesPurged: number; messagesDeleted: number }> {
  const env = getEnv();
  const bodyCutoff = new Date(now.getTime() - env.OUTBOX_BODY_RETENTION_DAYS * DAY_MS);
  const rowCutoff = new Date(now.getTime() - env.OUTBOX_RETENTION_DAYS * DAY_MS);
  const purged = await db.outboxMessage.updateMany({
    where: { state: { in: ['sent', 'cancelled'] }, finishedAt: { lt: bodyCutoff }, bodyEnc: { not: null } },
    data: { bodyEnc: null, bodyPurgedAt: now },
  });
  const deleted = await db.outboxMessage.deleteMany({
    where: { state: { in: ['sent', 'cancelled'] }, finishedAt: { lt: rowCutoff } },
  });
  return { bodiesPurged: purged.count, messagesDeleted: deleted.count };
}
