/**
 * Microsoft Entra ID through MSAL Node. A fresh ConfidentialClientApplication (and so a fresh
 * token cache) per call: nothing leaks between profiles, and MSAL's 5xx throttling cache never
 * blocks the next attempt.
 */
import {
  AuthError,
  ConfidentialClientApplication,
  ResponseMode,
  type AuthenticationResult,
  type Configuration,
  type INetworkModule,
  type JsonCache,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
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

const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;

const splitScope = (scope: string) => scope.split(/\s+/).filter(Boolean);
const unique = (xs: string[]) => [...new Set(xs)];

/** Delegated flows: offline_access for a refresh token, openid profile email to learn the mailbox. */
const delegatedScopes = (cfg: OAuthConfig) => unique([...splitScope(cfg.scope), ...OIDC_SCOPES]);
/** App-only: the resource's `.default`; OIDC scopes are invalid there. */
const appScopes = (cfg: OAuthConfig) => splitScope(cfg.scope).filter((s) => !OIDC_SCOPES.includes(s));

/** `https://<host>/<tenant>` from `https://<host>/<tenant>/oauth2/v2.0/token`. */
function authorityOf(tokenEndpoint: string): { authority: string; host: string } {
  let url: URL;
  try {
    url = new URL(tokenEndpoint);
  } catch {
    throw new OAuthError('invalid_configuration', 'The token endpoint is not a valid URL.');
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || !TOKEN_PATH.test(path) || url.search) {
    throw new OAuthError(
      'invalid_configuration',
      'The Microsoft token endpoint must look like https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.',
    );
  }
  return { authority: `${url.origin}${path.replace(TOKEN_PATH, '')}`, host: url.host };
}

/**
 * MSAL's network module on outboundFetch (the destination policy), with a timeout on every request (MSAL's own client
 * has none on POST) and a record of the last answer, because MSAL drops the HTTP status of most
 * token errors and replaces network failures with a generic error.
 */
class RecordingFetch implements INetworkModule {
  status?: number;
  body?: unknown;
  failure?: OAuthError;

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    let status: number;
    let text: string;
    let headers: Record<string, string>;
    try {
      const res = await outboundFetch(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
      status = res.status;
      headers = Object.fromEntries(res.headers);
      text = await res.text();
    } catch (e) {
      this.failure = OAuthError.fromFetchFailure(e, url);
      throw this.failure;
    }
    const body = parseObject(text) ?? {
      error: status >= 500 ? 'server_error' : 'invalid_response',
      error_description: `The token endpoint answered HTTP ${status} without a JSON body.`,
    };
    this.status = status;
    this.body = body;
    // MSAL's generic network response: the body is whatever JSON the server sent.
    return { status, headers, body: body as T };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function normaliseThumbprint(t: string): string {
  return t.replace(/[\s:]/g, '').toUpperCase();
}

function newApp(cfg: OAuthConfig): { app: ConfidentialClientApplication; net: RecordingFetch } {
  const { authority, host } = authorityOf(cfg.tokenEndpoint);
  // Configured endpoints as metadata + the host as a known authority: MSAL makes no discovery call.
  const authorityMetadata = JSON.stringify({
    authorization_endpoint: cfg.authorizationEndpoint,
    token_endpoint: cfg.tokenEndpoint,
    issuer: `${authority}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  });
  const c = cfg.credential;
  const thumb = c.type === 'certificate' ? normaliseThumbprint(c.thumbprint) : '';
  const credential: Partial<Configuration['auth']> =
    c.type === 'secret'
      ? { clientSecret: c.secret }
      : {
          clientCertificate:
            thumb.length === 64
              ? { thumbprintSha256: thumb, privateKey: c.privateKey }
              : { thumbprint: thumb, privateKey: c.privateKey },
        };
  const net = new RecordingFetch();
  const app = new ConfidentialClientApplication({
    auth: { clientId: cfg.clientId, authority, knownAuthorities: [host], authorityMetadata, ...credential },
    system: { networkClient: net },
  });
  return { app, net };
}

function toOAuthError(e: unknown, net: RecordingFetch): OAuthError {
  if (e instanceof OAuthError) return e;
  if (net.failure) return net.failure;
  if (net.status !== undefined && net.status >= 400) return OAuthError.fromErrorBody(net.body, net.status);
  if (e instanceof AuthError) {
    const config = e.name === 'ClientConfigurationError';
    return new OAuthError(config ? 'invalid_configuration' : e.errorCode || 'invalid_response', e.errorMessage || e.errorCode);
  }
  // e.g. jsonwebtoken refusing the certificate's private key.
  return new OAuthError('invalid_configuration', e instanceof Error ? e.message : 'MSAL failed without a reason.');
}

async function run(
  cfg: OAuthConfig,
  call: (app: ConfidentialClientApplication) => Promise<AuthenticationResult | null>,
): Promise<TokenSet> {
  const { app, net } = newApp(cfg);
  let result: AuthenticationResult | null;
  try {
    result = await call(app);
  } catch (e) {
    throw toOAuthError(e, net);
  }
  if (!result?.accessToken) throw new OAuthError('invalid_response', 'The token endpoint returned no access token.');
  return {
    accessToken: result.accessToken,
    refreshToken: cachedRefreshToken(app),
    expiresAt: result.expiresOn ?? new Date(Date.now() + DEFAULT_TOKEN_LIFETIME_S * 1000),
    scope: result.scopes.join(' '),
    account: accountOf(result),
  };
}

/** MSAL keeps the refresh token out of its result; the per-call cache holds at most this one. */
function cachedRefreshToken(app: ConfidentialClientApplication): string | undefined {
  const cache = JSON.parse(app.getTokenCache().serialize()) as Partial<JsonCache>;
  return Object.values(cache.RefreshToken ?? {})[0]?.secret || undefined;
}

function accountOf(result: AuthenticationResult): string | undefined {
  const claims: Record<string, unknown> = { ...result.idTokenClaims };
  for (const k of ['preferred_username', 'upn', 'email']) {
    const v = claims[k];
    if (typeof v === 'string' && v) return v;
  }
  return result.account?.username || undefined;
}

export const microsoft: OAuthDriver = {
  async authorizationUrl(cfg, req) {
    const { app, net } = newApp(cfg);
    try {
      return await app.getAuthCodeUrl({
        scopes: delegatedScopes(cfg),
        redirectUri: req.redirectUri,
        state: req.state,
        codeChallenge: req.codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: ResponseMode.QUERY,
        ...(req.loginHint && { loginHint: req.loginHint }),
      });
    } catch (e) {
      throw toOAuthError(e, net);
    }
  },
  redeemCode: (cfg, req) =>
    run(cfg, (app) =>
      app.acquireTokenByCode({
        code: req.code,
        codeVerifier: req.codeVerifier,
        redirectUri: req.redirectUri,
        scopes: delegatedScopes(cfg),
      }),
    ),
  async refreshTokens(cfg, refreshToken) {
    // forceCache: the fresh cache has no account, and MSAL would otherwise not store the rotated refresh token.
    const set = await run(cfg, (app) =>
      app.acquireTokenByRefreshToken({ refreshToken, scopes: delegatedScopes(cfg), forceCache: true }),
    );
    return { ...set, refreshToken: set.refreshToken ?? refreshToken };
  },
  clientCredentialsToken: (cfg) =>
    run(cfg, (app) => app.acquireTokenByClientCredential({ scopes: appScopes(cfg), skipCache: true })),
  passwordToken: (cfg, creds) =>
    run(cfg, (app) =>
      app.acquireTokenByUsernamePassword({ scopes: delegatedScopes(cfg), username: creds.username, password: creds.password }),
    ),
};
