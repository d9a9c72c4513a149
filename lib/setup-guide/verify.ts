import 'server-only';
import { NotFoundError } from '@/lib/errors';
import { getAccessToken, TokenUnavailable } from '@/lib/oauth/connection';
import { getConnection } from '@/lib/oauth/queries';
import type { SetupFacts } from '@/lib/setup-guide/checklist';
import { permissionsInToken } from '@/lib/setup-guide/claims';
import { getLatestDelivery, getSetupProfile } from '@/lib/setup-guide/queries';
import { scenarioOf } from '@/lib/setup-guide/scenarios';

/**
 * What Mailroom can tell about a store's saved OAuth setup right now: a token (the cached one
 * while it lasts, else a refresh, as a send would), the permissions the token carries, and the
 * last send since connecting. The token itself never leaves this function.
 */
export async function checkSetup(storeId: string): Promise<SetupFacts> {
  const profile = await getSetupProfile(storeId);
  if (!profile) throw new NotFoundError('This identity store no longer exists.');
  const scenario = scenarioOf({
    transport: { kind: profile.transport },
    auth: {
      useAuth: profile.useAuth,
      authType: profile.authType,
      oauth: { provider: profile.oauthProvider, grantType: profile.grantType },
    },
  });

  let token: SetupFacts['token'] = { state: 'not_connected' };
  const before = await getConnection(storeId);
  if (scenario && before && before.status !== 'not_connected') {
    try {
      const accessToken = await getAccessToken(profile.id);
      token = { state: 'ok', at: null, permissions: permissionsInToken(accessToken) };
    } catch (err) {
      if (!(err instanceof TokenUnavailable)) throw err;
      token = { state: 'failed', code: '', message: `${err.advice.title}. ${err.advice.detail}` };
    }
  }
  const c = (await getConnection(storeId)) ?? before;
  if (!c) throw new NotFoundError('This identity store no longer exists.');
  if (token.state === 'ok') token.at = c.lastRefreshAt;
  if (token.state === 'failed') token.code = c.errorCode;

  const since = profile.oauthConnectedAt;
  const delivery = since ? await getLatestDelivery(storeId, since) : null;
  return {
    scenario,
    secretSet: profile.clientSecretSetAt !== null,
    secretExpiresAt: profile.clientSecretExpiresAt ? profile.clientSecretExpiresAt.toISOString().slice(0, 10) : null,
    connection: {
      status: c.status,
      account: c.account,
      scopes: c.scopes,
      refreshTokenAgeDays: c.refreshTokenAgeDays,
      errorCode: c.errorCode,
      error: c.error,
    },
    token,
    delivery: delivery && {
      at: delivery.createdAt.toISOString(),
      ok: delivery.ok,
      failedStep: delivery.failedStep,
      replyCode: delivery.replyCode,
      replyText: delivery.replyText,
    },
    now: new Date().toISOString(),
  };
}
