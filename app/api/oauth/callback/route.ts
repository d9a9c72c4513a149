import { cookies } from 'next/headers';
import { recordAudit } from '@/lib/audit';
import { canChangeSettings } from '@/lib/auth/roles';
import { getCurrentUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { logError } from '@/lib/log';
import { redeemCode } from '@/lib/oauth/client';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { recordConnectFailure, saveConnection } from '@/lib/oauth/connection';
import { getCallbackProfile } from '@/lib/oauth/queries';
import { consumeState, STATE_COOKIE } from '@/lib/oauth/state';
import { OAuthError } from '@/lib/oauth/types';
import { CONNECTION_CARD_ID } from '@/lib/notifications/providers';

export const dynamic = 'force-dynamic';

/** 303 to a console page: the URL carries no code or state, and no Referer leaks the query. */
function back(path: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location: `${getEnv().APP_URL}${path}`, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' },
  });
}

/** The provider's redirect after consent (APP_URL + /api/oauth/callback, the URI the page shows). */
export async function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  const user = await getCurrentUser();
  if (!user) return back('/login');
  if (!canChangeSettings(user)) return back('/stores?oauth=forbidden');

  const jar = await cookies();
  const browserState = jar.get(STATE_COOKIE)?.value;
  jar.delete(STATE_COOKIE);
  const state = params.get('state');
  // The state is checked (and spent) before anything else, in particular before any token request.
  const check = await consumeState(state, user.id);
  if (!check.ok) return back(`/stores?oauth=state_${check.reason}`);
  if (browserState !== state) return back('/stores?oauth=state_browser');

  const { profileId, redirectUri, codeVerifier, allowAccountChange } = check.state;
  const profile = await getCallbackProfile(profileId);
  if (!profile) return back('/stores?oauth=state_unknown');
  const page = `/stores/${profile.storeId}/notifications`;
  // Back to the connection card, where the outcome shows, not to the top of a long page.
  const result = (outcome: 'connected' | 'failed') => `${page}?oauth=${outcome}#${CONNECTION_CARD_ID}`;

  const error = params.get('error');
  if (error) {
    await recordConnectFailure(profileId, new OAuthError(error, params.get('error_description') ?? ''));
    await recordAudit({
      actor: user,
      action: 'oauth.connect',
      target: profile.store.name,
      details: { result: 'failed', error },
      ip: clientAddress(req),
    });
    return back(result('failed'));
  }
  const code = params.get('code');
  if (!code) return back(result('failed'));

  try {
    const p = await loadProfileOAuth({ profileId });
    const tokens = await redeemCode(p.config, { code, codeVerifier, redirectUri });
    const account = tokens.account ?? p.loginUser;
    if (profile.oauthAccount && account && profile.oauthAccount.toLowerCase() !== account.toLowerCase() && !allowAccountChange) {
      await recordConnectFailure(
        profileId,
        new OAuthError(
          'account_mismatch',
          `Signed in as ${account}, but this profile is connected as ${profile.oauthAccount}. The existing connection was kept.`,
        ),
      );
      return back(result('failed'));
    }
    await saveConnection(profileId, tokens, account, account);
    await recordAudit({
      actor: user,
      action: 'oauth.connect',
      target: p.storeName,
      details: { result: 'connected', account, grant: 'authorization_code' },
      ip: clientAddress(req),
    });
    return back(result('connected'));
  } catch (err) {
    if (!(err instanceof OAuthError)) {
      logError('OAuth callback failed', err);
    }
    await recordConnectFailure(
      profileId,
      err instanceof OAuthError ? err : new OAuthError('server_error', 'Mailroom could not complete the sign-in.'),
    );
    await recordAudit({
      actor: user,
      action: 'oauth.connect',
      target: profile.store.name,
      details: { result: 'failed' },
      ip: clientAddress(req),
    });
    return back(result('failed'));
  }
}
