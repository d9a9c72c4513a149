/** What the conditions look at, read for every store at one moment. */
import type { StoreFacts, Thresholds } from '@/lib/alerts/conditions';
import { db } from '@/lib/db';
import { PENDING_STATES } from '@/lib/outbox/types';

/** How many of the newest sends per store are read for "the last N failed". */
const RECENT_LIMIT = 50;

export async function loadStoreFacts(t: Thresholds, now: Date): Promise<StoreFacts[]> {
  const since = new Date(now.getTime() - t.failureWindowMinutes * 60_000);
  const [profiles, windowCounts, queues] = await Promise.all([
    db.notificationProfile.findMany({
      select: {
        storeId: true,
        store: { select: { name: true } },
        transport: true,
        useAuth: true,
        authType: true,
        grantType: true,
        oauthStatus: true,
        oauthErrorCode: true,
        oauthError: true,
        credentialType: true,
        clientSecretExpiresAt: true,
        refreshTokenIssuedAt: true,
        oauthLastRefreshAt: true,
        oauthConnectedAt: true,
      },
    }),
    // Test Server sends are an admin watching; only what other systems sent counts.
    db.deliveryLog.groupBy({
      by: ['storeId', 'ok'],
      where: { kind: { not: 'test' }, createdAt: { gte: since, lte: now } },
      _count: { _all: true },
    }),
    db.outboxMessage.groupBy({
      by: ['storeId'],
      where: { state: { in: [...PENDING_STATES] } },
      _count: { _all: true },
      _min: { createdAt: true },
    }),
  ]);
  const queueOf = new Map(queues.map((q) => [q.storeId, q]));
  const facts: StoreFacts[] = [];
  for (const p of profiles) {
    const recent = await db.deliveryLog.findMany({
      where: { storeId: p.storeId, kind: { not: 'test' }, createdAt: { lte: now } },
      orderBy: { createdAt: 'desc' },
      take: Math.min(RECENT_LIMIT, Math.max(1, t.failedInRow)),
      select: { ok: true },
    });
    const counted = windowCounts.filter((c) => c.storeId === p.storeId);
    const q = queueOf.get(p.storeId);
    facts.push({
      storeId: p.storeId,
      storeName: p.store.name,
      usesOAuth: p.transport === 'graph' || (p.useAuth && p.authType === 'oauth2'),
      grantType: p.grantType,
      oauthStatus: p.oauthStatus,
      oauthErrorCode: p.oauthErrorCode,
      oauthError: p.oauthError,
      credentialType: p.credentialType,
      credentialExpiresAt: p.clientSecretExpiresAt,
      // Set whenever a refresh token is stored, cleared with it.
      hasRefreshToken: !!p.refreshTokenIssuedAt,
      refreshTokenUsedAt: p.oauthLastRefreshAt ?? p.refreshTokenIssuedAt ?? p.oauthConnectedAt,
      recentOutcomes: recent.map((r) => r.ok),
      windowSent: counted.reduce((n, c) => n + c._count._all, 0),
      windowFailed: counted.filter((c) => !c.ok).reduce((n, c) => n + c._count._all, 0),
      queued: q?._count._all ?? 0,
      oldestQueuedAt: q?._min.createdAt ?? null,
    });
  }
  return facts;
}
