import { openSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { NotFoundError, NotReadyError } from '@/lib/errors';
import type { OAuthConfig, OAuthProvider } from '@/lib/oauth/types';

type ProfileOAuth = {
  profileId: string;
  storeId: string;
  storeName: string;
  grantType: 'authorization_code' | 'client_credentials' | 'password';
  loginUser: string;
  username: string;
  password?: string;
  config: OAuthConfig;
};

/** The saved OAuth settings of a store's profile with its client secret (or key) decrypted. Server only. */
export async function loadProfileOAuth(by: { storeId: string } | { profileId: string }): Promise<ProfileOAuth> {
  const p = await db.notificationProfile.findUnique({
    where: 'storeId' in by ? { storeId: by.storeId } : { id: by.profileId },
    select: {
      id: true,
      storeId: true,
      useAuth: true,
      authType: true,
      oauthProvider: true,
      oauthCloud: true,
      tenantId: true,
      clientId: true,
      credentialType: true,
      clientSecretEnc: true,
      certificateThumbprint: true,
      certificateKeyEnc: true,
      authorizationEndpoint: true,
      tokenEndpoint: true,
      oauthIssuer: true,
      oauthUserinfoEndpoint: true,
      scope: true,
      grantType: true,
      oauthLoginUser: true,
      oauthUsername: true,
      oauthPasswordEnc: true,
      store: { select: { name: true } },
    },
  });
  if (!p) throw new NotFoundError('This identity store no longer exists.');
  if (!p.useAuth || p.authType !== 'oauth2')
    throw new NotReadyError('Choose OAuth 2.0 under Authentication and save before connecting.');
  if (!p.clientId || !p.tokenEndpoint)
    throw new NotReadyError('Enter and save the Client ID and token endpoint before connecting.');

  let credential: OAuthConfig['credential'];
  if (p.credentialType === 'certificate') {
    if (!p.certificateKeyEnc)
      throw new NotReadyError('The certificate private key is not set. Enter it, save, and connect again.');
    credential = {
      type: 'certificate',
      thumbprint: p.certificateThumbprint,
      privateKey: openSecret(p.id, 'certificateKey', p.certificateKeyEnc),
    };
  } else {
    if (!p.clientSecretEnc)
      throw new NotReadyError('The client secret is not set. Paste the secret’s Value, save, and connect again.');
    credential = { type: 'secret', secret: openSecret(p.id, 'clientSecret', p.clientSecretEnc) };
  }
  const grantType = p.grantType as ProfileOAuth['grantType'];
  if (grantType === 'password' && !p.oauthPasswordEnc) throw new NotReadyError('The password for the legacy grant is not set.');
  return {
    profileId: p.id,
    storeId: p.storeId,
    storeName: p.store.name,
    grantType,
    loginUser: p.oauthLoginUser,
    username: p.oauthUsername,
    password: p.oauthPasswordEnc ? openSecret(p.id, 'oauthPassword', p.oauthPasswordEnc) : undefined,
    config: {
      provider: p.oauthProvider as OAuthProvider,
      cloud: p.oauthCloud as OAuthConfig['cloud'],
      tenantId: p.tenantId,
      clientId: p.clientId,
      credential,
      authorizationEndpoint: p.authorizationEndpoint,
      tokenEndpoint: p.tokenEndpoint,
      ...(p.oauthIssuer && { issuer: p.oauthIssuer }),
      ...(p.oauthUserinfoEndpoint && { userinfoEndpoint: p.oauthUserinfoEndpoint }),
      scope: p.scope,
    },
  };
}
