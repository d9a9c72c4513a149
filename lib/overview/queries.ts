import 'server-only';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { attentionFor, type AttentionItem } from '@/lib/overview/attention';

/** What needs an admin, for every store or one (the API access tab warns before keys are handed out). */
export async function getAttention(storeId?: string, now = new Date()): Promise<AttentionItem[]> {
  const where = storeId ? { storeId } : {};
  const [profiles, lastDeliveries] = await Promise.all([
    db.notificationProfile.findMany({
      where,
      orderBy: { store: { name: 'asc' } },
      select: {
        storeId: true,
        transport: true,
        host: true,
        fromAddress: true,
        useAuth: true,
        authType: true,
        credentialType: true,
        oauthStatus: true,
        oauthErrorCode: true,
        clientSecretExpiresAt: true,
        store: { select: { name: true } },
      },
    }),
    // The newest row per store.
    db.deliveryLog.findMany({
      where,
      distinct: ['storeId'],
      orderBy: { createdAt: 'desc' },
      select: { storeId: true, ok: true, kind: true, failedStep: true, replyCode: true, replyText: true, createdAt: true },
    }),
  ]);
  const last = new Map(lastDeliveries.map((d) => [d.storeId, d]));
  return profiles.flatMap(({ store, ...p }) =>
    attentionFor({ ...p, storeName: store.name, lastDelivery: last.get(p.storeId) ?? null }, now),
  );
}

export async function getOverview(now = new Date()) {
  const since = new Date(now.getTime() - 86_400_000);
  const [users, stores, attention, sent, failed] = await Promise.all([
    db.user.count(),
    db.identityStore.count(),
    getAttention(undefined, now),
    db.deliveryLog.count({ where: { ok: true, createdAt: { gte: since } } }),
    db.deliveryLog.count({ where: { ok: false, createdAt: { gte: since } } }),
  ]);
  return { users, stores, database: getEnv().embedded ? 'SQLite (embedded)' : 'PostgreSQL', sent, failed, attention };
}
