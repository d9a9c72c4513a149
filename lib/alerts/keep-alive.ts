/**
 * Token keep-alive: a refresh token that has not been used for `keepAliveDays` is used once, so an
 * idle store does not reach the provider's inactivity limit (Microsoft revokes after 90 days).
 * The refresh goes through getAccessToken, which claims it and stores a rotated refresh token in
 * the same write; a failure is recorded on the connection, where the alert conditions see it.
 */
import { recordAudit } from '@/lib/audit';
import { getAlertSettings } from '@/lib/alerts/settings';
import { ALERTS_ACTOR } from '@/lib/alerts/engine';
import { db } from '@/lib/db';
import { logger } from '@/lib/log';
import { getAccessToken } from '@/lib/oauth/connection';

export type KeepAliveResult = { storeName: string; ok: boolean; error?: string };

export async function runKeepAlive(opts: { now?: Date } = {}): Promise<KeepAliveResult[]> {
  const now = opts.now ?? new Date();
  const { keepAliveDays } = await getAlertSettings();
  if (keepAliveDays <= 0) return [];
  const before = new Date(now.getTime() - keepAliveDays * 86_400_000);
  const due = await db.notificationProfile.findMany({
    where: {
      oauthStatus: 'connected',
      grantType: { not: 'client_credentials' },
      refreshTokenIssuedAt: { not: null },
      OR: [{ transport: 'graph' }, { useAuth: true, authType: 'oauth2' }],
      AND: [
        {
          OR: [{ oauthLastRefreshAt: { lt: before } }, { oauthLastRefreshAt: null, refreshTokenIssuedAt: { lt: before } }],
        },
      ],
    },
    select: { id: true, store: { select: { name: true } } },
  });
  const results: KeepAliveResult[] = [];
  for (const p of due) {
    try {
      await getAccessToken(p.id, { force: true });
      results.push({ storeName: p.store.name, ok: true });
    } catch (err) {
      results.push({ storeName: p.store.name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  for (const r of results) {
    if (!r.ok) logger.warn({ store: r.storeName, err: r.error }, 'token keep-alive failed');
    await recordAudit({
      actorEmail: ALERTS_ACTOR,
      action: 'oauth.keepalive',
      target: r.storeName,
      details: { result: r.ok ? 'refreshed' : 'failed', ...(r.error && { error: r.error }) },
    });
  }
  return results;
}
