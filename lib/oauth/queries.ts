import 'server-only';
import { db } from '@/lib/db';
import { daysBetween } from '@/lib/format';
import { adviseOAuth } from '@/lib/oauth/advice';
import { OAuthError, withoutCode } from '@/lib/oauth/types';

export type ConnectionStatus = 'not_connected' | 'connected' | 'needs_reconnect' | 'error';

/** What the connection card shows. Token columns are not selected: only whether and when. */
export async function getConnection(storeId: string) {
  const p = await db.notificationProfile.findUnique({
    where: { storeId },
    select: {
      oauthStatus: true,
      oauthAccount: true,
      oauthScopes: true,
      oauthConnectedAt: true,
      accessTokenExpiresAt: true,
      oauthLastRefreshAt: true,
      refreshTokenIssuedAt: true,
      clientSecretExpiresAt: true,
      oauthErrorCode: true,
      oauthError: true,
      grantType: true,
      oauthProvider: true,
    },
  });
  if (!p) return null;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const now = new Date();
  return {
    status: (p.oauthErrorCode && p.oauthStatus === 'connected' ? 'connected' : p.oauthStatus) as ConnectionStatus,
    account: p.oauthAccount,
    scopes: p.oauthScopes,
    grantType: p.grantType,
    provider: p.oauthProvider,
    connectedAt: iso(p.oauthConnectedAt),
    accessTokenExpiresAt: iso(p.accessTokenExpiresAt),
    lastRefreshAt: iso(p.oauthLastRefreshAt),
    refreshTokenIssuedAt: iso(p.refreshTokenIssuedAt),
    clientSecretExpiresAt: iso(p.clientSecretExpiresAt),
    // Counted here, at request time: the card renders the same in the server HTML and the browser.
    clientSecretDaysLeft: p.clientSecretExpiresAt ? daysBetween(now, p.clientSecretExpiresAt) : null,
    refreshTokenAgeDays: p.refreshTokenIssuedAt ? daysBetween(p.refreshTokenIssuedAt, now) : null,
    errorCode: p.oauthErrorCode,
    error: withoutCode(p.oauthError, p.oauthErrorCode),
    advice: p.oauthErrorCode ? adviseOAuth(new OAuthError(p.oauthErrorCode, p.oauthError)) : null,
  };
}

export type Connection = NonNullable<Awaited<ReturnType<typeof getConnection>>>;

/** What the OAuth callback needs of the profile a state names: where to return, and who it is connected as. */
export function getCallbackProfile(profileId: string) {
  return db.notificationProfile.findUnique({
    where: { id: profileId },
    select: { storeId: true, oauthAccount: true, store: { select: { name: true } } },
  });
}
