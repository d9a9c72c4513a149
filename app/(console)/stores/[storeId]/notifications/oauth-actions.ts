'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { action, type ActionResult } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { getEnv } from '@/lib/env';
import { OAUTH_CALLBACK_PATH } from '@/lib/notifications/providers';
import { adviseOAuth } from '@/lib/oauth/advice';
import { authorizationUrl, clientCredentialsToken, createPkce, passwordToken, randomState } from '@/lib/oauth/client';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { discoverIssuer, type Discovered } from '@/lib/oauth/discovery';
import { disconnect, getAccessToken, recordConnectFailure, saveConnection, TokenUnavailable } from '@/lib/oauth/connection';
import { saveState, STATE_COOKIE, STATE_TTL_MS } from '@/lib/oauth/state';
import { OAuthError } from '@/lib/oauth/types';

const storeInput = z.object({ storeId: z.string().min(1) });
const connectInput = storeInput.extend({ allowAccountChange: z.boolean() });
const discoverInput = z.object({
  issuer: z.string().trim().min(1, 'Enter the issuer URL first.').max(2000, 'At most 2000 characters.'),
});

const failed = (err: OAuthError): ActionResult<never> => {
  const a = adviseOAuth(err);
  // Which endpoint failed, and how, is part of what an unreachable provider means.
  const what = err.code === 'authorization_unreachable' ? ` ${err.description}` : '';
  return { ok: false, message: `${a.title}.${what} ${a.detail}` };
};

/**
 * Connect / Reconnect. Authorization code: returns the provider's consent URL (the browser goes
 * there). Client credentials and password grants: fetches a token now, proving the settings.
 */
export const connectOAuth = action<typeof connectInput, { redirectUrl?: string }>(
  'admin',
  connectInput,
  async ({ storeId, allowAccountChange }, { user, ip }) => {
    const p = await loadProfileOAuth({ storeId });
    const refused = async (err: OAuthError): Promise<ActionResult<never>> => {
      await recordConnectFailure(p.profileId, err);
      await recordAudit({
        actor: user,
        action: 'oauth.connect',
        target: p.storeName,
        details: { result: 'failed', error: err.aadsts ?? err.code },
        ip,
      });
      revalidatePath(`/stores/${storeId}/notifications`);
      return failed(err);
    };
    if (p.grantType === 'authorization_code') {
      const { verifier, challenge } = createPkce();
      const state = randomState();
      const env = getEnv();
      const redirectUri = `${env.APP_URL}${OAUTH_CALLBACK_PATH}`;
      await saveState(state, verifier, {
        userId: user.id,
        profileId: p.profileId,
        provider: p.config.provider,
        redirectUri,
        allowAccountChange,
      });
      (await cookies()).set(STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: 'lax',
        secure: env.APP_URL.startsWith('https:'),
        path: OAUTH_CALLBACK_PATH,
        maxAge: STATE_TTL_MS / 1000,
      });
      try {
        const redirectUrl = await authorizationUrl(p.config, {
          redirectUri,
          state,
          codeChallenge: challenge,
          loginHint: p.loginUser || undefined,
        });
        return { ok: true, data: { redirectUrl } };
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        return refused(err);
      }
    }
    try {
      const tokens =
        p.grantType === 'client_credentials'
          ? await clientCredentialsToken(p.config)
          : await passwordToken(p.config, { username: p.username, password: p.password ?? '' });
      const account = p.grantType === 'client_credentials' ? p.loginUser : (tokens.account ?? p.username);
      await saveConnection(p.profileId, tokens, account, p.grantType === 'password' && !p.loginUser ? account : undefined);
      await recordAudit({
        actor: user,
        action: 'oauth.connect',
        target: p.storeName,
        details: { result: 'connected', grant: p.grantType, account },
        ip,
      });
      revalidatePath(`/stores/${storeId}/notifications`);
      return {
        ok: true,
        message:
          p.grantType === 'client_credentials'
            ? `Connected: the app received a token to send as ${account}.`
            : `Connected as ${account}.`,
      };
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return refused(err);
    }
  },
);

export const disconnectOAuth = action('admin', storeInput, async ({ storeId }, { user, ip }) => {
  const p = await loadProfileOAuth({ storeId });
  await disconnect(p.profileId);
  await recordAudit({ actor: user, action: 'oauth.disconnect', target: p.storeName, ip });
  revalidatePath(`/stores/${storeId}/notifications`);
  return { ok: true, message: 'Disconnected: the stored tokens were deleted.' };
});

/** Check token: refresh now and report, so an admin sees a dead grant before a notification fails. */
export const checkOAuthToken = action('admin', storeInput, async ({ storeId }, { user, ip }) => {
  const p = await loadProfileOAuth({ storeId });
  try {
    await getAccessToken(p.profileId, { force: true });
    await recordAudit({ actor: user, action: 'oauth.refresh', target: p.storeName, details: { result: 'ok' }, ip });
    revalidatePath(`/stores/${storeId}/notifications`);
    return { ok: true, message: 'The provider issued a new access token.' };
  } catch (err) {
    await recordAudit({ actor: user, action: 'oauth.refresh', target: p.storeName, details: { result: 'failed' }, ip });
    revalidatePath(`/stores/${storeId}/notifications`);
    if (err instanceof TokenUnavailable) return { ok: false, message: `${err.advice.title}. ${err.advice.detail}` };
    throw err;
  }
});

/** Generic OAuth: fill the endpoints from the issuer's discovery document. Reads only; saves nothing. */
export const discoverOAuthEndpoints = action<typeof discoverInput, Discovered>('admin', discoverInput, async ({ issuer }) => {
  try {
    return { ok: true, data: await discoverIssuer(issuer) };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    return { ok: false, message: err.description, fieldErrors: { issuer: [err.description] } };
  }
});
