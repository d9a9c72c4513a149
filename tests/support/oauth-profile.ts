/** A store whose profile sends XOAUTH2 through the local Entra-style OAuth server, and its Connect flow. */
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { authorizationUrl, createPkce, randomState, redeemCode } from '@/lib/oauth/client';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { saveConnection } from '@/lib/oauth/connection';
import { consumeState, saveState } from '@/lib/oauth/state';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { MS_CLIENT, notificationsInput } from '@/tests/support/notification-values';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { signInAt } from '@/tests/support/oauth-sign-in';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import { httpsPorts } from '@/tests/support/allow-https';
import { trustTestCa } from '@/tests/support/trust-test-ca';

/**
 * The local OAuth server (trusted by this process) and an SMTP peer that accepts its access tokens
 * (and `users` for Basic auth), with SMTP_ALLOWED_PORTS / HTTP_ALLOWED_PORTS letting the sends and
 * token requests reach them.
 */
export async function startOAuthPeers(o: {
  clientSecret: string;
  users?: Record<string, string>;
}): Promise<{ oauth: OAuthTestServer; peer: Peer; close: () => Promise<void> }> {
  const oauth = await startOAuthServer({ clients: { [MS_CLIENT]: { secret: o.clientSecret } } });
  const untrust = trustTestCa(oauth.caPem);
  const peer = await startSmtpPeer({ users: o.users, validateToken: (user, token) => oauth.isValidAccessToken(user, token) });
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  process.env.HTTP_ALLOWED_PORTS = httpsPorts(oauth.origin);
  resetEnvCache();
  return {
    oauth,
    peer,
    close: async () => {
      untrust();
      await peer.close();
      await oauth.close();
    },
  };
}

export const OAUTH_REDIRECT = 'http://localhost:3000/api/oauth/callback';

type MicrosoftProfile = {
  oauth: OAuthTestServer;
  smtpPort: number;
  tenant: string;
  clientSecret: string;
  mailbox: string;
  actor: string;
};

export async function microsoftOAuthStore(
  p: MicrosoftProfile,
  name: string,
  grant: 'authorization_code' | 'client_credentials' = 'authorization_code',
) {
  const store = await createStore({ name, type: 'entra_id' }, p.actor);
  const e = p.oauth.entra(p.tenant);
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: p.smtpPort, securityMode: 'starttls', allowSelfSigned: true, fromAddress: p.mailbox },
    auth: {
      authType: 'oauth2',
      oauth: {
        provider: 'microsoft',
        tenantId: p.tenant,
        clientId: MS_CLIENT,
        clientSecret: { mode: 'set', value: p.clientSecret },
        grantType: grant,
        authorizationEndpoint: e.authorizationEndpoint,
        tokenEndpoint: e.tokenEndpoint,
        scope:
          grant === 'client_credentials'
            ? 'https://outlook.office365.com/.default'
            : 'https://outlook.office.com/SMTP.Send offline_access',
        loginUser: grant === 'client_credentials' ? p.mailbox : '',
      },
    },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), p.actor);
  return { store, profile: await db.notificationProfile.findUniqueOrThrow({ where: { storeId: store.id } }) };
}

/** What Connect + the callback do: consent on the provider's page, redeem the code, store the tokens. */
export async function connectOAuth(storeId: string, adminId: string, username: string) {
  const p = await loadProfileOAuth({ storeId });
  const { verifier, challenge } = createPkce();
  const state = randomState();
  await saveState(state, verifier, {
    userId: adminId,
    profileId: p.profileId,
    provider: 'microsoft',
    redirectUri: OAUTH_REDIRECT,
    allowAccountChange: false,
  });
  const back = await signInAt(
    await authorizationUrl(p.config, { redirectUri: OAUTH_REDIRECT, state, codeChallenge: challenge }),
    username,
  );
  const check = await consumeState(back.searchParams.get('state'), adminId);
  if (!check.ok) throw new Error(check.reason);
  const tokens = await redeemCode(p.config, {
    code: back.searchParams.get('code') ?? '',
    codeVerifier: check.state.codeVerifier,
    redirectUri: OAUTH_REDIRECT,
  });
  await saveConnection(p.profileId, tokens, tokens.account ?? '', tokens.account);
  return tokens;
}
