/**
 * The OAuth 2.0 client the rest of the app uses: picks the provider driver (MSAL for Microsoft,
 * oauth4webapi otherwise) and applies the rules every provider shares (docs/security.md#oauth-state,
 * #pkce, #refresh-token-required, #token-endpoint-outage).
 */
import { createHash, randomBytes } from 'node:crypto';
import { outboundFetch } from '@/lib/net/fetch';
import { microsoft } from '@/lib/oauth/microsoft';
import { standard } from '@/lib/oauth/standard';
import {
  OAuthError,
  TOKEN_TIMEOUT_MS,
  type AuthorizationRequest,
  type CodeRedemption,
  type OAuthConfig,
  type OAuthDriver,
  type PasswordCredentials,
  type TokenSet,
} from '@/lib/oauth/types';

const driverFor = (cfg: OAuthConfig): OAuthDriver => (cfg.provider === 'microsoft' ? microsoft : standard);

function checkConfig(cfg: OAuthConfig): void {
  for (const [label, value] of [
    ['authorization endpoint', cfg.authorizationEndpoint],
    ['token endpoint', cfg.tokenEndpoint],
  ] as const) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') throw new OAuthError('invalid_configuration', `The ${label} must be an https:// URL.`);
  }
  if (!cfg.clientId.trim()) throw new OAuthError('invalid_configuration', 'The client ID is empty.');
}

const credentialSecrets = (cfg: OAuthConfig) =>
  cfg.credential.type === 'secret' ? [cfg.credential.secret] : [cfg.credential.privateKey];

/** Runs a token request; any failure becomes an OAuthError with every secret it knows of masked. */
async function guarded<T>(cfg: OAuthConfig, secrets: (string | undefined)[], run: () => Promise<T>): Promise<T> {
  const all = [...credentialSecrets(cfg), ...secrets];
  try {
    checkConfig(cfg);
    return await run();
  } catch (e) {
    const err =
      e instanceof OAuthError
        ? e
        : new OAuthError('invalid_configuration', e instanceof Error ? e.message : 'The OAuth request failed.');
    throw err.redact(all);
  }
}

export function authorizationUrl(cfg: OAuthConfig, req: AuthorizationRequest): Promise<string> {
  return guarded(cfg, [], async () => {
    await probeAuthorizationEndpoint(cfg.authorizationEndpoint);
    return driverFor(cfg).authorizationUrl(cfg, req);
  });
}

/**
 * The browser makes the consent connection, but first this server checks that the endpoint is
 * allowed by the destination policy and answers at all: an admin then reads why in the console
 * instead of the browser's "site can't be reached" page. Any HTTP answer will do; a certificate
 * this server does not trust is left to the browser (and to the token request after it).
 */
async function probeAuthorizationEndpoint(endpoint: string): Promise<void> {
  try {
    const res = await outboundFetch(endpoint, { redirect: 'manual', signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
    await res.body?.cancel();
  } catch (e) {
    const err = OAuthError.fromFetchFailure(e, endpoint, 'The authorization endpoint');
    if (err.code === 'network') throw new OAuthError('authorization_unreachable', err.description, { retryable: false });
    if (err.code !== 'tls') throw err;
  }
}

/** Delegated consent: a response without a refresh token is an error (docs/security.md#refresh-token-required). */
export function redeemCode(cfg: OAuthConfig, req: CodeRedemption): Promise<TokenSet> {
  return guarded(cfg, [req.code, req.codeVerifier], async () => {
    const set = await driverFor(cfg).redeemCode(cfg, req);
    if (!set.refreshToken) {
      throw new OAuthError(
        'no_refresh_token',
        'The provider signed the mailbox in but returned no refresh token, so the connection would stop working within the hour.',
      );
    }
    return set;
  });
}

/** Returns the rotated refresh token when the server issued one: persist it at once (docs/providers.md#microsoft-smtp). */
export function refreshTokens(cfg: OAuthConfig, refreshToken: string): Promise<TokenSet> {
  return guarded(cfg, [refreshToken], () => driverFor(cfg).refreshTokens(cfg, refreshToken));
}

/** App-only ("send as app"). */
export function clientCredentialsToken(cfg: OAuthConfig): Promise<TokenSet> {
  return guarded(cfg, [], async () => {
    if (cfg.provider === 'google') {
      throw new OAuthError(
        'unsupported_grant_type',
        'Google has no client-credentials grant for a client secret; connect a mailbox instead.',
      );
    }
    return driverFor(cfg).clientCredentialsToken(cfg);
  });
}

/** Legacy resource-owner password grant (fails with MFA, federated and personal accounts). */
export function passwordToken(cfg: OAuthConfig, creds: PasswordCredentials): Promise<TokenSet> {
  return guarded(cfg, [creds.password], () => driverFor(cfg).passwordToken(cfg, creds));
}

/** PKCE (RFC 7636) S256 pair: 32 random bytes → 43-character verifier. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** 256 random bits, base64url (docs/security.md#oauth-state). */
export function randomState(): string {
  return randomBytes(32).toString('base64url');
}
