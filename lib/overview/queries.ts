import 'server-only';
import { db } from '../db';
import { getEnv } from '../env';
import { attentionFor } from './attention';

export async function getOverview(now = new Date()) {
  const since = new Date(now.getTime() - 86_400_000);
  const [users, stores, profiles, lastDeliveries, sent, failed] = await Promise.all([
    db.user.count(),
    db.identityStore.count(),
    db.notificationProfile.findMany({
      orderBy: { store: { name: 'asc' } },
      select: {
        storeId: true, transport: true, host: true, fromAddress: true, useAuth: true, authType: true, credentialType: true,
        oauthStatus: true, oauthErrorCode: true, clientSecretExpiresAt: true, store: { select: { name: true } },
      },
    }),
    // The newest row per store.
    db.deliveryLog.findMany({
      distinct: ['storeId'],
      orderBy: { createdAt: 'desc' },
      select: { storeId: true, ok: true, kind: true, failedStep: true, replyCode: true, replyText: true, createdAt: true },
    }),
    db.deliveryLog.count({ where: { ok: true, createdAt: { gte: since } } }),
    db.deliveryLog.count({ where: { ok: false, createdAt: { gte: since } } }),
  ]);
  const last = new Map(lastDeliveries.map((d) => [d.storeId, d]));
  const attention = profiles.flatMap(({ store, ...p }) => attentionFor({ ...p, storeName: store.name, lastDelivery: last.get(p.storeId) ?? null }, now));
  return { users, stores, database: getEnv().embedded ? 'SQLite (embedded)' : 'PostgreSQL', sent, failed, attention };
}
