/**
 * Generic OAuth 2.0 / OpenID Connect: the endpoints from the issuer's discovery document
 * (OpenID Connect Discovery 1.0, then RFC 8414), through oauth4webapi, which checks that the
 * document names the issuer it was fetched for.
 */
import * as oauth from 'oauth4webapi';
import { outboundFetch } from '@/lib/net/fetch';
import { OAuthError, TOKEN_TIMEOUT_MS } from '@/lib/oauth/types';

export type Discovered = {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** userinfo_endpoint, or '' (then the ID token must name the account). */
  userinfoEndpoint: string;
  /** scopes_supported, when the document lists them. */
  scopes: string[];
  /** What the admin should know before connecting: no authorization code grant, no PKCE S256. */
  warnings: string[];
};

const WHAT = 'The issuer';

export async function discoverIssuer(input: string): Promise<Discovered> {
  let issuer: URL;
  try {
    issuer = new URL(input.trim());
  } catch {
    throw new OAuthError('invalid_configuration', 'Enter the issuer as a URL, e.g. https://id.example.com/realms/helpdesk.');
  }
  if (issuer.protocol !== 'https:') throw new OAuthError('invalid_configuration', 'The issuer must be an https:// URL.');

  const as = (await fetchMetadata(issuer, 'oidc')) ?? (await fetchMetadata(issuer, 'oauth2'));
  if (!as) {
    throw new OAuthError(
      'invalid_configuration',
      `${issuer.host} publishes no discovery document for ${issuer.href} (neither /.well-known/openid-configuration nor /.well-known/oauth-authorization-server). Check the issuer URL, or enter the endpoints by hand.`,
    );
  }
  if (!as.token_endpoint) throw new OAuthError('invalid_response', 'The discovery document names no token endpoint.');
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const grants = list(as.grant_types_supported);
  const pkce = list(as.code_challenge_methods_supported);
  const warnings = [
    !as.authorization_endpoint &&
      'The server has no authorization endpoint: only the client credentials and password grants can work.',
    grants.length > 0 && !grants.includes('authorization_code') && 'The server does not list the authorization code grant.',
    grants.length > 0 &&
      !grants.includes('refresh_token') &&
      'The server does not list the refresh token grant: the connection may need a reconnect when the access token expires.',
    pkce.length > 0 && !pkce.includes('S256') && 'The server does not list PKCE S256, which Mailroom always sends.',
  ].filter((w): w is string => typeof w === 'string');
  return {
    issuer: as.issuer,
    authorizationEndpoint: as.authorization_endpoint ?? '',
    tokenEndpoint: as.token_endpoint,
    userinfoEndpoint: as.userinfo_endpoint ?? '',
    scopes: list(as.scopes_supported),
    warnings,
  };
}

/** The metadata, or undefined when the server has no document at this well-known path (404). */
async function fetchMetadata(issuer: URL, algorithm: 'oidc' | 'oauth2'): Promise<oauth.AuthorizationServer | undefined> {
  let res: Response;
  try {
    res = await oauth.discoveryRequest(issuer, {
      algorithm,
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      // The issuer is whatever the admin typed: the destination policy decides where this may connect.
      [oauth.customFetch]: (url, init) => outboundFetch(url, init),
    });
  } catch (e) {
    throw OAuthError.fromFetchFailure(e, issuer.href, WHAT);
  }
  if (res.status === 404) return undefined;
  try {
    return await oauth.processDiscoveryResponse(issuer, res);
  } catch (e) {
    if (e instanceof oauth.OperationProcessingError && e.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const named = (e.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
      throw new OAuthError(
        'invalid_configuration',
        `The discovery document names the issuer ${String(named)}, not ${issuer.href}. Enter exactly ${String(named)}.`,
      );
    }
    if (e instanceof oauth.OperationProcessingError && e.code === oauth.RESPONSE_IS_NOT_CONFORM) {
      throw new OAuthError(
        'invalid_response',
        `The discovery document at ${res.url || issuer.href} answered HTTP ${res.status}.`,
        { status: res.status },
      );
    }
    throw new OAuthError(
      'invalid_response',
      `The discovery document could not be read: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }
}
