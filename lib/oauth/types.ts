/** Types shared by the OAuth 2.0 client (lib/oauth/client.ts) and its provider drivers, and its one error type. */
import { policyRefusal } from '@/lib/net/fetch';

export type OAuthProvider = 'microsoft' | 'google' | 'generic';

export type OAuthConfig = {
  provider: OAuthProvider;
  cloud: 'global' | 'usgov' | 'china';
  tenantId: string;
  clientId: string;
  credential: { type: 'secret'; secret: string } | { type: 'certificate'; thumbprint: string; privateKey: string };
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Generic OAuth: the OpenID Connect issuer the endpoints came from; when set, ID tokens must name exactly it. */
  issuer?: string;
  /** Generic OAuth: asked for the account (with the new access token) when the ID token does not name it. */
  userinfoEndpoint?: string;
  /** Space-separated, as the admin entered it. */
  scope: string;
};

export type TokenSet = {
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
  scope: string;
  /** preferred_username / upn / email from the ID token, or from the userinfo endpoint. */
  account?: string;
};

export type AuthorizationRequest = { redirectUri: string; state: string; /** S256 */ codeChallenge: string; loginHint?: string };
export type CodeRedemption = { code: string; codeVerifier: string; redirectUri: string };
export type PasswordCredentials = { username: string; password: string };

/** What each provider module implements; client.ts adds the checks common to all of them. */
export type OAuthDriver = {
  authorizationUrl(cfg: OAuthConfig, req: AuthorizationRequest): Promise<string>;
  redeemCode(cfg: OAuthConfig, req: CodeRedemption): Promise<TokenSet>;
  refreshTokens(cfg: OAuthConfig, refreshToken: string): Promise<TokenSet>;
  clientCredentialsToken(cfg: OAuthConfig): Promise<TokenSet>;
  passwordToken(cfg: OAuthConfig, creds: PasswordCredentials): Promise<TokenSet>;
};

/** Every token request gives up after this long; the admin is waiting on the page. */
export const TOKEN_TIMEOUT_MS = 15_000;

/** Used when a token response has no expires_in: short, so a cached token is renewed early rather than late. */
export const DEFAULT_TOKEN_LIFETIME_S = 600;

const RETRYABLE_CODES = new Set(['network', 'server_error', 'temporarily_unavailable']);

type ErrorOptions = { aadsts?: string; status?: number; retryable?: boolean };

/** A failed OAuth exchange. `message` and `description` never contain a token or secret (client.ts redacts them). */
export class OAuthError extends Error {
  override name = 'OAuthError';
  /** OAuth error (invalid_grant, access_denied, invalid_client, server_error, …) or ours: network, tls, no_refresh_token, invalid_configuration, invalid_response, authorization_unreachable. */
  readonly code: string;
  /** 'AADSTS70008' when Entra ID said which. */
  readonly aadsts?: string;
  readonly description: string;
  readonly status?: number;
  /** 5xx or network: the same request may succeed later, and the stored refresh token stays valid. */
  readonly retryable: boolean;

  constructor(code: string, description: string, opts: ErrorOptions = {}) {
    super(`${code}: ${description}`);
    this.code = code;
    this.description = description;
    this.aadsts = opts.aadsts ?? aadstsIn(description);
    this.status = opts.status;
    this.retryable = opts.retryable ?? (RETRYABLE_CODES.has(code) || (opts.status !== undefined && opts.status >= 500));
  }

  /** From a token endpoint's JSON error body (RFC 6749 5.2, plus Entra's `error_codes`). */
  static fromErrorBody(body: unknown, status?: number): OAuthError {
    const b = isRecord(body) ? body : {};
    const fallback = status !== undefined && status >= 500 ? 'server_error' : 'invalid_response';
    const code = typeof b.error === 'string' && b.error ? b.error : fallback;
    const raw = typeof b.error_description === 'string' ? b.error_description : '';
    const description =
      trimTrace(raw) || (status ? `The token endpoint answered HTTP ${status}.` : 'The token endpoint gave no reason.');
    const first = Array.isArray(b.error_codes) ? b.error_codes[0] : undefined;
    const aadsts =
      typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)) ? `AADSTS${first}` : aadstsIn(raw);
    return new OAuthError(code, description, { aadsts, status });
  }

  /** From a fetch that threw: refused by the destination policy, unreachable, timed out, or a certificate that is not trusted. */
  static fromFetchFailure(error: unknown, endpoint: string, what = 'The token endpoint'): OAuthError {
    const host = safeHost(endpoint);
    const refused = policyRefusal(error);
    if (refused) {
      return new OAuthError('invalid_configuration', `${what} ${host} is not allowed: ${refused.message}`, { retryable: false });
    }
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return new OAuthError('network', `${what} ${host} did not answer within ${TOKEN_TIMEOUT_MS / 1000} s.`);
    }
    const cause = error instanceof Error && isRecord(error.cause) ? error.cause : {};
    const sysCode = typeof cause.code === 'string' ? cause.code : '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(sysCode)) {
      return new OAuthError('tls', `The certificate of ${host} is not trusted (${sysCode}).`, { retryable: false });
    }
    return new OAuthError('network', `${what} ${host} could not be reached${sysCode ? ` (${sysCode})` : ''}.`);
  }

  /** The same error with every occurrence of the given secrets masked. */
  redact(secrets: readonly (string | undefined)[]): OAuthError {
    const mask = (s: string) => secrets.reduce<string>((acc, x) => (x && x.length >= 4 ? acc.split(x).join('****') : acc), s);
    const description = mask(this.description);
    if (description === this.description) return this;
    return new OAuthError(this.code, description, { aadsts: this.aadsts, status: this.status, retryable: this.retryable });
  }
}

/** Entra starts its descriptions with the code ("AADSTS65004: User declined…"): shown beside the code, it would repeat. */
export function withoutCode(description: string, code: string): string {
  return code && description.startsWith(`${code}:`) ? description.slice(code.length + 1).trimStart() : description;
}

function aadstsIn(text: string): string | undefined {
  return /\b(AADSTS\d+)\b/.exec(text)?.[1];
}

/** Entra appends "Trace ID / Correlation ID / Timestamp" lines that mean nothing to an admin. */
function trimTrace(text: string): string {
  return text.split(/\r?\nTrace ID:/)[0].trim();
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the token endpoint';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
