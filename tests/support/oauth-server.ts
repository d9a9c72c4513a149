/**
 * A real OAuth 2.0 / OIDC authorization server over HTTPS on 127.0.0.1 for the OAuth tests:
 * node:https routes + oauth2-mock-server's issuer for the signing keys and ID-token JWTs.
 *
 * Entra-style paths  /<tenant>/oauth2/v2.0/{authorize,token}, /<tenant>/v2.0/.well-known/openid-configuration,
 *                    /<tenant>/discovery/v2.0/keys — errors carry AADSTS codes, responses client_info.
 * Generic paths      /authorize, /token, /.well-known/openid-configuration, /jwks, /userinfo (bearer access token).
 *
 * /authorize shows an HTML sign-in page (Username, "Sign in", "Cancel"); the token endpoint checks
 * the client (secret, or a certificate-signed client assertion whose signature it verifies), the
 * code (single use), PKCE S256 and redirect_uri, and rotates refresh tokens. Entra-style access
 * tokens are JWTs naming what was granted: `scp` (delegated) and `roles` (the client's app roles).
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { OAuth2Issuer } from 'oauth2-mock-server';
import { closeHttpsServer, readBody, selfSignedCert, writeCaFile } from '@/tests/support/tls';

export type TestClient = {
  secret?: string;
  /** PEM certificate: client assertions (MSAL certificate credential, private_key_jwt) must be signed by its key. */
  certificate?: string;
  /** When set, /authorize refuses other redirect URIs (AADSTS50011). */
  redirectUris?: string[];
  /** Application permissions granted with admin consent: the `roles` of its app-only tokens. */
  appRoles?: string[];
};
export type OAuthServerOptions = {
  clients: Record<string, TestClient>;
  /** username → password, for the password grant. */
  users?: Record<string, string>;
  /** expires_in of access tokens, seconds (default 3600). */
  accessTokenTtl?: number;
};
export type Failure = {
  status: number;
  error?: string;
  error_description?: string;
  error_codes?: number[];
  /** a non-JSON body instead */ text?: string;
};
export type Issued = {
  kind: 'access' | 'refresh';
  clientId: string;
  user?: string;
  grant: string;
  scope: string;
  expiresAt: number;
};
export type Endpoints = {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  issuer: string;
  discovery: string;
  userinfoEndpoint: string;
};

export type OAuthTestServer = {
  origin: string;
  /** The server certificate (self-signed, so also its CA) as a file: NODE_EXTRA_CA_CERTS for child processes. */
  caFile: string;
  caPem: string;
  entra(tenant: string): Endpoints;
  generic: Endpoints;
  /** The next token request (whatever it is) gets this answer, and nothing is consumed. */
  failNext(f: Failure): void;
  omitRefreshToken: boolean;
  /** ID tokens carry only `sub` (and the protocol claims): the account comes from /userinfo, as OpenID Connect allows. */
  idTokenSubOnly: boolean;
  /** Merged into every discovery document (to describe a server with fewer features). */
  discoveryOverrides: Record<string, unknown>;
  accessTokenTtl: number;
  counters: { tokenRequests: number; byGrant: Record<string, number> };
  /** "METHOD /path" of every request, in order (e.g. to prove no discovery call was made). */
  requests: string[];
  /** For the SMTP peer: a live access token issued to this user (app-only tokens fit any mailbox). */
  isValidAccessToken(user: string, token: string): boolean;
  issuedFor(token: string): Issued | undefined;
  close(): Promise<void>;
};

type Flavor = { kind: 'entra'; tenant: string } | { kind: 'generic' };
type Pending = {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  challenge: string;
  nonce?: string;
  flavor: Flavor;
};
type Code = Pending & { user: string; expiresAt: number };
type TokenRequest = { flavor: Flavor; form: URLSearchParams; clientId: string; endpoint: string };
type Reply = { status: number; body: Record<string, unknown> };

const random = () => randomBytes(32).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest();
/** A stable GUID per name, like Entra's tenant and object ids. */
const guid = (name: string) => {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)) return name.toLowerCase();
  const h = sha256(name).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const subjectOf = (user: string, clientId: string) => sha256(`${user}|${clientId}`).toString('base64url');
const hasScope = (scope: string, s: string) => scope.split(/\s+/).includes(s);

export async function startOAuthServer(options: OAuthServerOptions): Promise<OAuthTestServer> {
  const { key, cert } = await selfSignedCert();
  const { dir, caFile } = writeCaFile(cert, 'mailroom-oauth-ca-');

  const issuerKeys = new OAuth2Issuer();
  await issuerKeys.keys.generate('RS256');
  const pending = new Map<string, Pending>();
  const codes = new Map<string, Code>();
  const tokens = new Map<string, Issued & { nonce?: string }>();
  const failures: Failure[] = [];
  let origin = '';

  const issuerOf = (f: Flavor) => (f.kind === 'entra' ? `${origin}/${f.tenant}/v2.0` : origin);
  const endpoints = (f: Flavor): Endpoints => {
    const base = f.kind === 'entra' ? `${origin}/${f.tenant}/oauth2/v2.0` : origin;
    const discovery =
      f.kind === 'entra'
        ? `${origin}/${f.tenant}/v2.0/.well-known/openid-configuration`
        : `${origin}/.well-known/openid-configuration`;
    return {
      authorizationEndpoint: `${base}/authorize`,
      tokenEndpoint: `${base}/token`,
      issuer: issuerOf(f),
      discovery,
      userinfoEndpoint: f.kind === 'entra' ? '' : `${origin}/userinfo`,
    };
  };

  /** Entra's error shape: "AADSTSnnnn: text" + trace lines, and error_codes. */
  function oauthError(f: Flavor, status: number, error: string, aadsts: number, text: string): Reply {
    if (f.kind === 'generic') return { status, body: { error, error_description: text } };
    const ids = `Trace ID: ${crypto.randomUUID()}\r\nCorrelation ID: ${crypto.randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`;
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${aadsts}: ${text}\r\n${ids}`,
        error_codes: [aadsts],
        timestamp: new Date().toISOString(),
      },
    };
  }

  // ---------- /authorize ----------
  function authorizeGet(f: Flavor, url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    const client = options.clients[clientId];
    if (!client)
      return html(res, 400, errorPage(`AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`));
    if (!redirectUri || (client.redirectUris && !client.redirectUris.includes(redirectUri))) {
      return html(
        res,
        400,
        errorPage(
          `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
        ),
      );
    }
    const state = q.get('state') ?? undefined;
    const back = (params: Record<string, string>) =>
      redirect(res, redirectUri, { ...params, ...(state !== undefined && { state }) });
    if (q.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'Only response_type=code is supported.' });
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required.' });
    }
    const txn = random();
    const scope = q.get('scope') ?? '';
    pending.set(txn, { clientId, redirectUri, scope, state, challenge, nonce: q.get('nonce') ?? undefined, flavor: f });
    html(res, 200, signInPage(url.pathname, txn, clientId, scope, q.get('login_hint') ?? ''));
  }

  async function authorizePost(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    const p = pending.get(form.get('txn') ?? '');
    if (!p) return html(res, 400, errorPage('This sign-in page has expired. Start again.'));
    pending.delete(form.get('txn') ?? '');
    const state: Record<string, string> = p.state !== undefined ? { state: p.state } : {};
    if (form.get('action') === 'cancel') {
      return redirect(res, p.redirectUri, {
        error: 'access_denied',
        error_description:
          p.flavor.kind === 'entra'
            ? 'AADSTS65004: User declined to consent to access the app.'
            : 'The user cancelled the sign-in and did not grant consent.',
        ...state,
      });
    }
    const user = (form.get('username') ?? '').trim();
    if (!user) return html(res, 400, errorPage('Enter a username.'));
    const code = random();
    codes.set(code, { ...p, user, expiresAt: Date.now() + 10 * 60_000 });
    redirect(res, p.redirectUri, { code, ...state });
  }

  // ---------- /token ----------
  function authenticateClient(
    f: Flavor,
    req: IncomingMessage,
    form: URLSearchParams,
    endpoint: string,
  ): { clientId: string } | Reply {
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
      const [id, pw = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id.replace(/\+/g, ' '));
      secret = decodeURIComponent(pw.replace(/\+/g, ' '));
    }
    const client = options.clients[clientId];
    if (!client) {
      return f.kind === 'entra'
        ? oauthError(
            f,
            400,
            'unauthorized_client',
            700016,
            `Application with identifier '${clientId}' was not found in the directory '${f.tenant}'.`,
          )
        : oauthError(f, 401, 'invalid_client', 0, 'Unknown client.');
    }
    const assertion = form.get('client_assertion');
    if (assertion && form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      const why = checkAssertion(assertion, clientId, client, [endpoint, issuerOf(f)]);
      return why ? oauthError(f, 401, 'invalid_client', 700027, `Client assertion failed: ${why}.`) : { clientId };
    }
    if (!client.secret || secret !== client.secret) {
      return oauthError(
        f,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    return { clientId };
  }

  /** `requested` decides refresh and ID tokens; the response and access token carry the granted scope. */
  async function issue(
    r: TokenRequest,
    grant: string,
    requested: string,
    user: string | undefined,
    nonce?: string,
  ): Promise<Reply> {
    const ttl = server.accessTokenTtl;
    const scope = grantedScope(r.flavor, requested);
    const accessToken = r.flavor.kind === 'entra' ? await entraAccessToken(r, scope, user, ttl) : random();
    tokens.set(accessToken, { kind: 'access', clientId: r.clientId, user, grant, scope, expiresAt: Date.now() + ttl * 1000 });
    const body: Record<string, unknown> = { token_type: 'Bearer', access_token: accessToken, expires_in: ttl, scope };
    const offline = user !== undefined && (r.flavor.kind === 'generic' || hasScope(requested, 'offline_access'));
    if (offline && !server.omitRefreshToken) {
      const refreshToken = random();
      tokens.set(refreshToken, {
        kind: 'refresh',
        clientId: r.clientId,
        user,
        grant,
        scope: requested,
        expiresAt: Date.now() + 90 * 86_400_000,
      });
      body.refresh_token = refreshToken;
    }
    if (user === undefined) return { status: 200, body };
    const tid = r.flavor.kind === 'entra' ? guid(r.flavor.tenant) : undefined;
    const oid = guid(`user:${user}`);
    if (r.flavor.kind === 'entra') {
      body.ext_expires_in = ttl;
      body.client_info = Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString('base64url');
    }
    const id = await idToken(r, scope, user, oid, tid, nonce);
    return { status: 200, body: id ? { ...body, id_token: id } : body };
  }

  /** Entra's access token: a JWT for the resource of the scope, with `scp` (delegated) or `roles` (app-only, when granted). */
  async function entraAccessToken(r: TokenRequest, scope: string, user: string | undefined, ttl: number): Promise<string> {
    issuerKeys.url = origin;
    const resource = /^(https?:\/\/[^/]+)\//.exec(scope)?.[1] ?? '';
    const names = scope
      .split(/\s+/)
      .map((s) => s.replace(/^https?:\/\/[^/]+\//, ''))
      .filter((s) => s && s !== '.default' && !['openid', 'profile', 'email', 'offline_access'].includes(s));
    const roles = options.clients[r.clientId]?.appRoles ?? [];
    return issuerKeys.buildToken({
      expiresIn: ttl,
      scopesOrTransform: (_header, payload) => {
        Object.assign(payload, {
          iss: issuerOf(r.flavor),
          aud: resource,
          azp: r.clientId,
          tid: r.flavor.kind === 'entra' ? guid(r.flavor.tenant) : undefined,
          jti: random(),
          ...(user === undefined
            ? roles.length
              ? { roles }
              : {}
            : { scp: names.join(' '), upn: user, oid: guid(`user:${user}`) }),
        });
      },
    });
  }

  async function idToken(
    r: TokenRequest,
    scope: string,
    user: string,
    oid: string,
    tid: string | undefined,
    nonce?: string,
  ): Promise<string | undefined> {
    if (!hasScope(scope, 'openid')) return undefined;
    issuerKeys.url = origin;
    return issuerKeys.buildToken({
      expiresIn: 3600,
      scopesOrTransform: (_header, payload) => {
        Object.assign(payload, {
          iss: issuerOf(r.flavor),
          sub: subjectOf(user, r.clientId),
          aud: r.clientId,
          ...(!server.idTokenSubOnly && { name: user.split('@')[0], preferred_username: user, email: user, oid }),
          ...(tid && { tid, ver: '2.0' }),
          ...(nonce && { nonce }),
        });
      },
    });
  }

  async function grant(r: TokenRequest): Promise<Reply> {
    const { flavor: f, form } = r;
    const type = form.get('grant_type') ?? '';
    if (type === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // single use, whatever happens next
      if (!code || code.expiresAt < Date.now() || code.clientId !== r.clientId)
        return oauthError(
          f,
          400,
          'invalid_grant',
          70000,
          "The provided value for the 'code' parameter is not valid, or the code was already redeemed.",
        );
      if (form.get('redirect_uri') !== code.redirectUri)
        return oauthError(
          f,
          400,
          'invalid_grant',
          50011,
          'The redirect_uri does not match the one used in the authorization request.',
        );
      const verifier = form.get('code_verifier');
      if (!verifier)
        return oauthError(
          f,
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'code_verifier'.",
        );
      if (sha256(verifier).toString('base64url') !== code.challenge)
        return oauthError(
          f,
          400,
          'invalid_grant',
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        );
      return issue(r, type, code.scope, code.user, code.nonce);
    }
    if (type === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const old = tokens.get(rt);
      if (!old || old.kind !== 'refresh' || old.clientId !== r.clientId || old.expiresAt < Date.now()) {
        return oauthError(
          f,
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity, or was already used.',
        );
      }
      tokens.delete(rt); // rotation: the old one dies with its first use
      return issue(r, old.grant, form.get('scope') ?? old.scope, old.user);
    }
    if (type === 'client_credentials') {
      const scope = form.get('scope') ?? '';
      if (f.kind === 'entra' && !/\/\.default$/.test(scope))
        return oauthError(
          f,
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
        );
      return issue(r, type, scope, undefined);
    }
    if (type === 'password') {
      const username = form.get('username') ?? '';
      if (options.users?.[username] === undefined || options.users[username] !== form.get('password')) {
        return oauthError(f, 400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
      }
      return issue(r, type, form.get('scope') ?? '', username);
    }
    return oauthError(f, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${type}'.`);
  }

  async function token(f: Flavor, req: IncomingMessage, res: ServerResponse, endpoint: string) {
    const form = new URLSearchParams(await readBody(req));
    const type = form.get('grant_type') ?? '';
    server.counters.tokenRequests++;
    server.counters.byGrant[type] = (server.counters.byGrant[type] ?? 0) + 1;
    const failure = failures.shift();
    if (failure) {
      const { status, text, ...body } = failure;
      return text !== undefined ? send(res, status, 'text/plain', text) : json(res, status, body);
    }
    const client = authenticateClient(f, req, form, endpoint);
    if ('status' in client) return json(res, client.status, client.body);
    const reply = await grant({ flavor: f, form, clientId: client.clientId, endpoint });
    json(res, reply.status, reply.body);
  }

  /** OpenID Connect Core 5.3: the claims of the user the bearer access token was issued to. */
  function userinfo(req: IncomingMessage, res: ServerResponse) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const t = tokens.get(bearer);
    if (!t || t.kind !== 'access' || t.expiresAt < Date.now() || t.user === undefined) {
      return send(res, 401, 'application/json', JSON.stringify({ error: 'invalid_token' }), {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    json(res, 200, { sub: subjectOf(t.user, t.clientId), preferred_username: t.user, email: t.user, name: t.user.split('@')[0] });
  }

  function discovery(f: Flavor) {
    const e = endpoints(f);
    const jwks = f.kind === 'entra' ? `${origin}/${f.tenant}/discovery/v2.0/keys` : `${origin}/jwks`;
    return {
      issuer: e.issuer,
      authorization_endpoint: e.authorizationEndpoint,
      token_endpoint: e.tokenEndpoint,
      jwks_uri: jwks,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['pairwise'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      ...(e.userinfoEndpoint && { userinfo_endpoint: e.userinfoEndpoint }),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const p = url.pathname;
    server.requests.push(`${req.method} ${p}`);
    const entra =
      /^\/([^/]+)\/(oauth2\/v2\.0\/(authorize|token)|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/.exec(p);
    const f: Flavor | undefined = entra
      ? { kind: 'entra', tenant: decodeURIComponent(entra[1]) }
      : /^\/(authorize|token|\.well-known\/openid-configuration|jwks|userinfo)$/.test(p)
        ? { kind: 'generic' }
        : undefined;
    if (!f) return json(res, 404, { error: 'not_found' });
    const route = p.endsWith('/authorize')
      ? 'authorize'
      : p.endsWith('/token')
        ? 'token'
        : p.endsWith('openid-configuration')
          ? 'discovery'
          : 'keys';
    if (p === '/userinfo') return userinfo(req, res);
    if (route === 'authorize' && req.method === 'GET') return authorizeGet(f, url, res);
    if (route === 'authorize' && req.method === 'POST') return authorizePost(req, res);
    if (route === 'token' && req.method === 'POST') return token(f, req, res, `${origin}${p}`);
    if (route === 'discovery') return json(res, 200, { ...discovery(f), ...server.discoveryOverrides });
    if (route === 'keys') return json(res, 200, { keys: issuerKeys.keys.toJSON() });
    json(res, 405, { error: 'method_not_allowed' });
  }

  const httpsServer = https.createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((e: unknown) =>
      json(res, 500, { error: 'server_error', error_description: e instanceof Error ? e.message : String(e) }),
    );
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;

  const server: OAuthTestServer = {
    origin,
    caFile,
    caPem: cert,
    entra: (tenant) => endpoints({ kind: 'entra', tenant }),
    generic: endpoints({ kind: 'generic' }),
    failNext: (f) => void failures.push(f),
    omitRefreshToken: false,
    idTokenSubOnly: false,
    discoveryOverrides: {},
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    counters: { tokenRequests: 0, byGrant: {} },
    requests: [],
    isValidAccessToken(user, token) {
      const t = tokens.get(token);
      return (
        !!t &&
        t.kind === 'access' &&
        t.expiresAt > Date.now() &&
        (t.user === undefined || t.user.toLowerCase() === user.toLowerCase())
      );
    },
    issuedFor: (token) => {
      const t = tokens.get(token);
      return t && { kind: t.kind, clientId: t.clientId, user: t.user, grant: t.grant, scope: t.scope, expiresAt: t.expiresAt };
    },
    close: () => closeHttpsServer(httpsServer, dir),
  };
  return server;
}

/** Entra reports the resource scopes granted; offline_access only shows as the refresh token. */
function grantedScope(f: Flavor, requested: string): string {
  return f.kind === 'entra'
    ? requested
        .split(/\s+/)
        .filter((s) => s && s !== 'offline_access')
        .join(' ')
    : requested;
}

/** Why a client assertion JWT is not acceptable, or undefined when it is (signature verified against the registered certificate). */
function checkAssertion(jwt: string, clientId: string, client: TestClient, audiences: string[]): string | undefined {
  if (!client.certificate) return 'no certificate is registered for this client';
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) return 'not a JWT';
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'not a JWT';
  }
  const x509 = new X509Certificate(client.certificate);
  const thumb = (hex: string) => Buffer.from(hex.replace(/:/g, ''), 'hex').toString('base64url');
  if (header.x5t !== undefined && header.x5t !== thumb(x509.fingerprint)) return 'x5t does not match the certificate';
  if (header['x5t#S256'] !== undefined && header['x5t#S256'] !== thumb(x509.fingerprint256))
    return 'x5t#S256 does not match the certificate';
  if (payload.iss !== clientId || payload.sub !== clientId) return 'iss/sub is not the client id';
  if (typeof payload.aud !== 'string' || !audiences.includes(payload.aud)) return 'wrong audience';
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return 'expired';
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const keyObj = x509.publicKey;
  const ok =
    header.alg === 'RS256'
      ? verify('sha256', data, keyObj, sig)
      : header.alg === 'PS256'
        ? verify('sha256', data, { key: keyObj, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
        : header.alg === 'ES256'
          ? verify('sha256', data, { key: keyObj, dsaEncoding: 'ieee-p1363' }, sig)
          : false;
  return ok ? undefined : 'invalid signature';
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
const html = (res: ServerResponse, status: number, body: string) => send(res, status, 'text/html; charset=utf-8', body);

function redirect(res: ServerResponse, to: string, params: Record<string, string>) {
  const url = new URL(to);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  send(res, 302, 'text/plain', '', { location: url.href });
}

function signInPage(action: string, txn: string, clientId: string, scope: string, loginHint: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>
<h1>Sign in</h1><p>App <code>${escapeHtml(clientId)}</code> asks for: <code>${escapeHtml(scope)}</code></p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="txn" value="${escapeHtml(txn)}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" value="${escapeHtml(loginHint)}">
<button type="submit" name="action" value="signin">Sign in</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form></body></html>`;
}

const errorPage = (message: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p>${escapeHtml(message)}</p></body></html>`;
