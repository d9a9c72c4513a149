/**
 * Google and generic OAuth 2.0 / OIDC through oauth4webapi, with the endpoints as configured (no
 * discovery). oauth4webapi stays strict: https only, ID token issuer/audience/expiry checked.
 */
import { createPrivateKey } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { logger } from '@/lib/log';
import { outboundFetch } from '@/lib/net/fetch';
import {
  DEFAULT_TOKEN_LIFETIME_S,
  OAuthError,
  TOKEN_TIMEOUT_MS,
  isRecord,
  type OAuthConfig,
  type OAuthDriver,
  type TokenSet,
} from '@/lib/oauth/types';

/** Google's ID tokens carry either form (developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken). */
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

const splitScope = (scope: string) => scope.split(/\s+/).filter(Boolean);

/** Google: openid email so the mailbox can be learned; generic: exactly what the admin entered. */
function delegatedScope(cfg: OAuthConfig): string {
  const scopes = splitScope(cfg.scope);
  return (cfg.provider === 'google' ? [...new Set([...scopes, 'openid', 'email'])] : scopes).join(' ');
}

const requestOptions = {
  signal: () => AbortSignal.timeout(TOKEN_TIMEOUT_MS),
  // Through the destination policy; fetch's bare "fetch failed" becomes an OAuthError that says refused / unreachable / timeout / untrusted certificate.
  [oauth.customFetch]: async (url: string, init: RequestInit) => {
    try {
      return await outboundFetch(url, init);
    } catch (e) {
      throw OAuthError.fromFetchFailure(e, url);
    }
  },
};

type Session = { as: oauth.AuthorizationServer; client: oauth.Client; auth: oauth.ClientAuth; started: number };

async function session(cfg: OAuthConfig): Promise<Session> {
  // Without a discovered issuer, a placeholder until a response shows one (see withIssuer).
  const as: oauth.AuthorizationServer = {
    issuer: cfg.issuer || new URL(cfg.tokenEndpoint).origin,
    authorization_endpoint: cfg.authorizationEndpoint,
    token_endpoint: cfg.tokenEndpoint,
  };
  return { as, client: { client_id: cfg.clientId }, auth: await clientAuth(cfg), started: Date.now() };
}

/** Google documents client_secret_post; RFC 6749 2.3.1 makes client_secret_basic the one every server must accept. */
async function clientAuth(cfg: OAuthConfig): Promise<oauth.ClientAuth> {
  const c = cfg.credential;
  if (c.type === 'secret')
    return cfg.provider === 'google' ? oauth.ClientSecretPost(c.secret) : oauth.ClientSecretBasic(c.secret);
  const key = await importSigningKey(c.privateKey);
  // RFC 7523 3: the token endpoint is an audience every server accepts.
  return oauth.PrivateKeyJwt(
    { key, kid: c.thumbprint },
    { [oauth.modifyAssertion]: (_h, payload) => void (payload.aud = cfg.tokenEndpoint) },
  );
}

const EC_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

async function importSigningKey(pem: string): Promise<CryptoKey> {
  let algorithm: RsaHashedImportParams | EcKeyImportParams | { name: 'Ed25519' };
  let der: Uint8Array<ArrayBuffer>;
  try {
    const key = createPrivateKey(pem);
    const curve = EC_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (key.asymmetricKeyType === 'rsa') algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    else if (key.asymmetricKeyType === 'ec' && curve) algorithm = { name: 'ECDSA', namedCurve: curve };
    else if (key.asymmetricKeyType === 'ed25519') algorithm = { name: 'Ed25519' };
    else throw new Error('unsupported key type');
    der = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
  } catch {
    throw new OAuthError(
      'invalid_configuration',
      'The certificate private key is not a PEM RSA, EC (P-256/384/521) or Ed25519 private key.',
    );
  }
  return crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/**
 * The ID token's issuer. A discovered issuer is compared exactly (by oauth4webapi); otherwise
 * Google's or one on the token endpoint's own origin is accepted, as admins then entered endpoints only.
 */
async function withIssuer(cfg: OAuthConfig, s: Session, res: Response): Promise<oauth.AuthorizationServer> {
  if (cfg.issuer) return s.as;
  let iss: unknown;
  try {
    const body: unknown = await res.clone().json();
    const idToken = isRecord(body) && typeof body.id_token === 'string' ? body.id_token : undefined;
    if (!idToken) return s.as;
    const claims: unknown = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    iss = isRecord(claims) ? claims.iss : undefined;
  } catch {
    return s.as; // not JSON / not a JWT: oauth4webapi reports it properly
  }
  if (typeof iss !== 'string') return s.as;
  const trusted = (cfg.provider === 'google' && GOOGLE_ISSUERS.includes(iss)) || sameOrigin(iss, cfg.tokenEndpoint);
  if (!trusted)
    throw new OAuthError('invalid_response', `The ID token was issued by ${iss}, which is not the token endpoint's server.`);
  return { ...s.as, issuer: iss };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** `signsIn`: a user signed in (not an app-only token), so the account is worth learning. */
async function exchange(
  cfg: OAuthConfig,
  request: (s: Session) => Promise<Response>,
  process: (as: oauth.AuthorizationServer, s: Session, res: Response) => Promise<oauth.TokenEndpointResponse>,
  requestedScope: string,
  signsIn = true,
): Promise<TokenSet> {
  const s = await session(cfg);
  let set: TokenSet;
  let subject: string | undefined;
  try {
    const res = await request(s);
    const result = await process(await withIssuer(cfg, s, res), s, res);
    set = toTokenSet(result, s.started, requestedScope);
    subject = oauth.getValidatedIdTokenClaims(result)?.sub;
  } catch (e) {
    throw await toOAuthError(e);
  }
  if (signsIn && !set.account && cfg.userinfoEndpoint) {
    const account = await userinfoAccount(cfg, s, set.accessToken, subject);
    if (account) set.account = account;
  }
  return set;
}

const accountIn = (claims: Record<string, unknown>) =>
  ['preferred_username', 'upn', 'email'].map((k) => claims[k]).find((v): v is string => typeof v === 'string' && v !== '');

/**
 * OpenID Connect lets a provider deliver the claims from its userinfo endpoint only (Core 1.0 5.3),
 * with nothing but `sub` in the ID token. A failure leaves the account unknown (the SMTP login user
 * field then asks for it) rather than failing a connection whose tokens are good.
 */
async function userinfoAccount(
  cfg: OAuthConfig,
  s: Session,
  accessToken: string,
  subject: string | undefined,
): Promise<string | undefined> {
  const as = { ...s.as, userinfo_endpoint: cfg.userinfoEndpoint };
  try {
    const res = await oauth.userInfoRequest(as, s.client, accessToken, requestOptions);
    const info = await oauth.processUserInfoResponse(as, s.client, subject ?? oauth.skipSubjectCheck, res);
    return accountIn({ ...info });
  } catch (e) {
    logger.warn(
      { endpoint: cfg.userinfoEndpoint, reason: e instanceof Error ? e.message : String(e) },
      'OAuth userinfo request failed',
    );
    return undefined;
  }
}

function toTokenSet(r: oauth.TokenEndpointResponse, started: number, requestedScope: string): TokenSet {
  const account = accountIn({ ...oauth.getValidatedIdTokenClaims(r) });
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token || undefined,
    // From the request start, so the token is renewed a little early rather than late.
    expiresAt: new Date(started + (r.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000),
    scope: r.scope ?? requestedScope,
    ...(account && { account }),
  };
}

async function toOAuthError(e: unknown): Promise<OAuthError> {
  if (e instanceof OAuthError) return e;
  if (e instanceof oauth.ResponseBodyError) return OAuthError.fromErrorBody(e.cause, e.status);
  if (e instanceof oauth.WWWAuthenticateChallengeError) {
    // 401 + WWW-Authenticate (a Basic client auth failure): the JSON body, if any, still says why.
    const body: unknown = await e.response.json().catch(() => undefined);
    const params = e.cause[0]?.parameters;
    return OAuthError.fromErrorBody(
      isRecord(body) && body.error
        ? body
        : { error: params?.error ?? 'invalid_client', error_description: params?.error_description },
      e.status,
    );
  }
  if (
    e instanceof oauth.OperationProcessingError &&
    e.code === oauth.JWT_CLAIM_COMPARISON &&
    isRecord(e.cause) &&
    e.cause.claim === 'iss'
  ) {
    const iss = isRecord(e.cause.claims) ? String(e.cause.claims.iss) : 'another issuer';
    return new OAuthError(
      'invalid_response',
      `The ID token was issued by ${iss}, not by the configured issuer ${String(e.cause.expected)}. Correct the Issuer field (or use Discover endpoints again) and save.`,
    );
  }
  if (e instanceof oauth.OperationProcessingError && e.code === oauth.RESPONSE_IS_NOT_CONFORM && e.cause instanceof Response) {
    return OAuthError.fromErrorBody(undefined, e.cause.status);
  }
  if (e instanceof oauth.OperationProcessingError || e instanceof oauth.UnsupportedOperationError) {
    return new OAuthError('invalid_response', `The token endpoint's answer was not accepted: ${e.message}.`);
  }
  return new OAuthError('invalid_configuration', e instanceof Error ? e.message : 'The token request could not be made.');
}

export const standard: OAuthDriver = {
  async authorizationUrl(cfg, req) {
    const url = new URL(cfg.authorizationEndpoint);
    const p = url.searchParams;
    p.set('response_type', 'code');
    p.set('client_id', cfg.clientId);
    p.set('redirect_uri', req.redirectUri);
    p.set('scope', delegatedScope(cfg));
    p.set('state', req.state);
    p.set('code_challenge', req.codeChallenge);
    p.set('code_challenge_method', 'S256');
    if (req.loginHint) p.set('login_hint', req.loginHint);
    if (cfg.provider === 'google') {
      // Without both, Google returns a refresh token only on the very first consent.
      p.set('access_type', 'offline');
      p.set('prompt', 'consent');
    }
    return url.href;
  },

  redeemCode: (cfg, { code, codeVerifier, redirectUri }) =>
    exchange(
      cfg,
      (s) => {
        // The callback route has already checked `state` (docs/security.md#oauth-callback); this only brands the parameters.
        const params = oauth.validateAuthResponse(s.as, s.client, new URLSearchParams({ code }), oauth.skipStateCheck);
        return oauth.authorizationCodeGrantRequest(s.as, s.client, s.auth, params, redirectUri, codeVerifier, requestOptions);
      },
      (as, s, res) => oauth.processAuthorizationCodeResponse(as, s.client, res),
      delegatedScope(cfg),
    ),

  refreshTokens: (cfg, refreshToken) =>
    exchange(
      cfg,
      (s) => oauth.refreshTokenGrantRequest(s.as, s.client, s.auth, refreshToken, requestOptions),
      (as, s, res) => oauth.processRefreshTokenResponse(as, s.client, res),
      delegatedScope(cfg),
      false, // the account was learned at Connect; a refresh only renews the tokens
    ).then((set) => ({ ...set, refreshToken: set.refreshToken ?? refreshToken })),

  clientCredentialsToken: (cfg) =>
    exchange(
      cfg,
      (s) =>
        oauth.clientCredentialsGrantRequest(
          s.as,
          s.client,
          s.auth,
          cfg.scope.trim() ? { scope: cfg.scope.trim() } : {},
          requestOptions,
        ),
      (as, s, res) => oauth.processClientCredentialsResponse(as, s.client, res),
      cfg.scope.trim(),
      false,
    ),

  passwordToken: (cfg, { username, password }) =>
    exchange(
      cfg,
      (s) =>
        oauth.genericTokenEndpointRequest(
          s.as,
          s.client,
          s.auth,
          'password',
          { username, password, scope: delegatedScope(cfg) },
          requestOptions,
        ),
      (as, s, res) => oauth.processGenericTokenEndpointResponse(as, s.client, res),
      delegatedScope(cfg),
    ),
};
