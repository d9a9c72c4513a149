/** How long the send API remembers an Idempotency-Key, and the clean-up the periodic job runs. */
import { db } from '@/lib/db';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export async function purgeIdempotencyKeys(now = new Date()): Promise<void> {
  await db.apiIdempotency.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS) } } });
}
