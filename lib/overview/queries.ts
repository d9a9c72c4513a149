import 'server-only';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { LIMIT_SELECT, limitsFor } from '@/lib/outbox/limits';
import { getBacklogByStore } from '@/lib/outbox/queries';
import { pauseReason } from '@/lib/outbox/readiness';
import { attentionFor, type AttentionItem } from '@/lib/overview/attention';
import { queueAttentionFor, type StoreQueue } from '@/lib/overview/queue-attention';

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

/** Every store's outbox: backlog, oldest waiting message, failed messages, recipients in the last 24 h. */
export async function getStoreQueues(now = new Date()): Promise<StoreQueue[]> {
  const since = new Date(now.getTime() - 86_400_000);
  const [profiles, backlog, failed, sent] = await Promise.all([
    db.notificationProfile.findMany({
      orderBy: { store: { name: 'asc' } },
      select: {
        ...LIMIT_SELECT,
        storeId: true,
        useAuth: true,
        authType: true,
        oauthStatus: true,
        store: { select: { name: true } },
      },
    }),
    getBacklogByStore(),
    db.outboxMessage.groupBy({ by: ['storeId'], where: { state: 'failed' }, _count: { _all: true } }),
    db.outboxMessage.groupBy({
      by: ['storeId'],
      where: { state: 'sent', sentAt: { gte: since } },
      _sum: { recipientCount: true },
    }),
  ]);
  const failedOf = new Map(failed.map((f) => [f.storeId, f._count._all]));
  const sentOf = new Map(sent.map((s) => [s.storeId, s._sum.recipientCount ?? 0]));
  return profiles.map(({ store, ...p }) => ({
    storeId: p.storeId,
    storeName: store.name,
    pending: backlog.get(p.storeId)?.pending ?? 0,
    oldestPendingAt: backlog.get(p.storeId)?.oldestPendingAt ?? null,
    failed: failedOf.get(p.storeId) ?? 0,
    recipients24h: sentOf.get(p.storeId) ?? 0,
    dailyLimit: limitsFor(p).dailyRecipients,
    paused: pauseReason(p) ?? null,
  }));
}

export async function getOverview(now = new Date()) {
  const since = new Date(now.getTime() - 86_400_000);
  const [users, stores, attention, sent, failed, queues] = await Promise.all([
    db.user.count(),
    db.identityStore.count(),
    getAttention(undefined, now),
    db.deliveryLog.count({ where: { ok: true, createdAt: { gte: since } } }),
    db.deliveryLog.count({ where: { ok: false, createdAt: { gte: since } } }),
    getStoreQueues(now),
  ]);
  return {
    users,
    stores,
    database: getEnv().embedded ? 'SQLite (embedded)' : 'PostgreSQL',
    sent,
    failed,
    queues,
    attention: [...attention, ...queues.flatMap((q) => queueAttentionFor(q, now))],
  };
}
