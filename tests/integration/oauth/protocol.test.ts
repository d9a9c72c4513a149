/**
 * lib/oauth/client.ts against a real local HTTPS authorization server: Microsoft through MSAL on
 * Entra-style paths (tenant in the path), generic through oauth4webapi. No mocks of either library.
 */
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { adviseOAuth } from '@/lib/oauth/advice';
import {
  authorizationUrl,
  clientCredentialsToken,
  createPkce,
  passwordToken,
  randomState,
  redeemCode,
  refreshTokens,
} from '@/lib/oauth/client';
import { OAuthError, type OAuthConfig, type TokenSet } from '@/lib/oauth/types';
import { sendViaSmtp } from '@/lib/mail/smtp-send';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { signInAt } from '@/tests/support/oauth-sign-in';
import { closedPort, startSmtpPeer } from '@/tests/support/smtp-peer';
import { allowHttps } from '@/tests/support/allow-https';
import { trustTestCa } from '@/tests/support/trust-test-ca';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f3c6d2e-1b7a-4c55-9e21-6a8b0c4d7e19';
const SECRET = 'Xq8~mailroom.secret-VALUE_0123456789abcd';
const CERT_CLIENT = 'c3e1a7b2-5d4f-4e8a-b9c0-1f2e3d4c5b6a';
const REDIRECT = 'https://mailroom.example.test/api/oauth/callback';
const USER = 'helpdesk@contoso.example';
const PASSWORD = 'Correct-Horse-9!';

let server: OAuthTestServer;
let untrust: () => void;
let disallow: () => void;
let cert: { pem: string; key: string; sha1: string; sha256: string };

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'mailroom-test-app' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
  });
  const x = new X509Certificate(pems.cert);
  cert = { pem: pems.cert, key: pems.private, sha1: x.fingerprint, sha256: x.fingerprint256 };
  server = await startOAuthServer({
    clients: { [CLIENT]: { secret: SECRET, redirectUris: [REDIRECT] }, [CERT_CLIENT]: { certificate: cert.pem } },
    users: { [USER]: PASSWORD },
  });
  untrust = trustTestCa(server.caPem);
  disallow = allowHttps(server.origin);
});
afterAll(async () => {
  untrust();
  disallow();
  await server.close();
});

const microsoft = (o: Partial<OAuthConfig> = {}): OAuthConfig => ({
  provider: 'microsoft',
  cloud: 'global',
  tenantId: TENANT,
  clientId: CLIENT,
  credential: { type: 'secret', secret: SECRET },
  ...server.entra(TENANT),
  scope: 'https://outlook.office.com/SMTP.Send',
  ...o,
});
const generic = (o: Partial<OAuthConfig> = {}): OAuthConfig => ({
  provider: 'generic',
  cloud: 'global',
  tenantId: '',
  clientId: CLIENT,
  credential: { type: 'secret', secret: SECRET },
  ...server.generic,
  scope: 'openid email smtp.send',
  ...o,
});

/** The local server's sign-in page, submitted as a browser would; the redirect back to REDIRECT. */
const signIn = (url: string, action: 'signin' | 'cancel' = 'signin') => signInAt(url, USER, action);

async function connect(cfg: OAuthConfig): Promise<{ tokens: TokenSet; state: string }> {
  const pkce = createPkce();
  const state = randomState();
  const back = await signIn(await authorizationUrl(cfg, { redirectUri: REDIRECT, state, codeChallenge: pkce.challenge }));
  expect(back.searchParams.get('state')).toBe(state);
  const tokens = await redeemCode(cfg, {
    code: back.searchParams.get('code') ?? '',
    codeVerifier: pkce.verifier,
    redirectUri: REDIRECT,
  });
  return { tokens, state };
}

async function failure(p: Promise<unknown>): Promise<OAuthError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OAuthError);
  return e as OAuthError;
}

describe.each([
  { name: 'Microsoft (MSAL, Entra paths)', cfg: microsoft, entra: true },
  { name: 'generic (oauth4webapi)', cfg: generic, entra: false },
])('$name', ({ cfg, entra }) => {
  it('authorization URL: configured endpoint, response_type=code, state, S256 challenge, exact redirect_uri', async () => {
    const { challenge } = createPkce();
    const state = randomState();
    const url = new URL(
      await authorizationUrl(cfg(), { redirectUri: REDIRECT, state, codeChallenge: challenge, loginHint: USER }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(cfg().authorizationEndpoint);
    const q = url.searchParams;
    expect(
      Object.fromEntries(
        ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'login_hint'].map(
          (k) => [k, q.get(k)],
        ),
      ),
    ).toEqual({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: USER,
    });
    expect(Buffer.from(state, 'base64url').length).toBeGreaterThanOrEqual(16);
    const scopes = (q.get('scope') ?? '').split(' ');
    if (entra)
      expect(scopes).toEqual(
        expect.arrayContaining(['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'profile', 'email']),
      );
    else expect(scopes).toEqual(['openid', 'email', 'smtp.send']);
  });

  it('sign-in → redeemCode: a refresh token, the signed-in account, a future expiry; the code is single use', async () => {
    const pkce = createPkce();
    const back = await signIn(
      await authorizationUrl(cfg(), { redirectUri: REDIRECT, state: 's1', codeChallenge: pkce.challenge }),
    );
    const code = back.searchParams.get('code') ?? '';
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    const t = await redeemCode(cfg(), { code, codeVerifier: pkce.verifier, redirectUri: REDIRECT });
    expect(t.refreshToken).toEqual(expect.any(String));
    expect(t.account).toBe(USER);
    expect(t.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(server.isValidAccessToken(USER, t.accessToken)).toBe(true);
    expect(server.issuedFor(t.accessToken)).toMatchObject({
      kind: 'access',
      user: USER,
      clientId: CLIENT,
      grant: 'authorization_code',
    });
    if (entra) expect(t.scope).toContain('https://outlook.office.com/SMTP.Send');

    const again = await failure(redeemCode(cfg(), { code, codeVerifier: pkce.verifier, redirectUri: REDIRECT }));
    expect(again.code).toBe('invalid_grant');
  });

  it('a wrong code_verifier is refused (PKCE S256 checked by the server)', async () => {
    const pkce = createPkce();
    const back = await signIn(
      await authorizationUrl(cfg(), { redirectUri: REDIRECT, state: 's2', codeChallenge: pkce.challenge }),
    );
    const e = await failure(
      redeemCode(cfg(), {
        code: back.searchParams.get('code') ?? '',
        codeVerifier: createPkce().verifier,
        redirectUri: REDIRECT,
      }),
    );
    expect(e).toMatchObject({ code: 'invalid_grant', retryable: false });
    if (entra) expect(e.aadsts).toBe('AADSTS501481');
  });

  it('Cancel on the sign-in page comes back as access_denied', async () => {
    const back = await signIn(
      await authorizationUrl(cfg(), { redirectUri: REDIRECT, state: 's3', codeChallenge: createPkce().challenge }),
      'cancel',
    );
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s3');
    expect(back.searchParams.has('code')).toBe(false);
    expect(adviseOAuth(new OAuthError('access_denied', back.searchParams.get('error_description') ?? '')).id).toBe(
      entra ? 'consent-declined' : 'access-denied',
    );
  });

  it('refreshTokens returns the rotated refresh token; the old one is then refused', async () => {
    const { tokens } = await connect(cfg());
    const first = tokens.refreshToken ?? '';
    const next = await refreshTokens(cfg(), first);
    expect(next.refreshToken).toEqual(expect.any(String));
    expect(next.refreshToken).not.toBe(first);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect(next.account).toBe(USER);
    expect(server.isValidAccessToken(USER, next.accessToken)).toBe(true);

    const reused = await failure(refreshTokens(cfg(), first));
    expect(reused).toMatchObject({ code: 'invalid_grant', retryable: false });
    expect(reused.message).not.toContain(first);
    if (entra) {
      expect(reused.aadsts).toBe('AADSTS70008');
      expect(adviseOAuth(reused).id).toBe('refresh-token-expired');
    } else expect(adviseOAuth(reused).id).toBe('invalid-grant');
    expect((await refreshTokens(cfg(), next.refreshToken ?? '')).refreshToken).not.toBe(next.refreshToken);
  });

  it('client credentials: an app token, no refresh token', async () => {
    const before = server.counters.byGrant.client_credentials ?? 0;
    const t = await clientCredentialsToken(cfg({ scope: 'https://outlook.office365.com/.default' }));
    expect(t.refreshToken).toBeUndefined();
    expect(t.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(server.issuedFor(t.accessToken)).toMatchObject({
      grant: 'client_credentials',
      user: undefined,
      scope: 'https://outlook.office365.com/.default',
    });
    expect(server.counters.byGrant.client_credentials).toBe(before + 1);
  });

  it('password grant: works for the right password, invalid_grant otherwise', async () => {
    const t = await passwordToken(cfg(), { username: USER, password: PASSWORD });
    expect(t.account).toBe(USER);
    expect(server.issuedFor(t.accessToken)).toMatchObject({ grant: 'password', user: USER });
    const e = await failure(passwordToken(cfg(), { username: USER, password: 'wrong-password-1' }));
    expect(e.code).toBe('invalid_grant');
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('wrong-password-1');
    if (entra) expect(adviseOAuth(e).id).toBe('wrong-password');
  });

  it('a wrong client secret: invalid_client with advice, the secret never in the error', async () => {
    const wrong = 'Wrong~secret-ID-0000-1111-2222';
    const e = await failure(
      clientCredentialsToken(
        cfg({ credential: { type: 'secret', secret: wrong }, scope: 'https://outlook.office365.com/.default' }),
      ),
    );
    expect(e).toMatchObject({ code: 'invalid_client', status: 401, retryable: false });
    expect(adviseOAuth(e).id).toBe(entra ? 'secret-id-not-value' : 'invalid-client');
    if (entra) expect(e.aadsts).toBe('AADSTS7000215');
    expect(`${e.message} ${e.description}`).not.toContain(wrong);
  });

  it('503 from the token endpoint: retryable, and the refresh token is still good afterwards', async () => {
    const { tokens } = await connect(cfg());
    server.failNext({ status: 503, error: 'temporarily_unavailable', error_description: 'Service is busy.' });
    const e = await failure(refreshTokens(cfg(), tokens.refreshToken ?? ''));
    expect(e).toMatchObject({ status: 503, retryable: true });
    expect(adviseOAuth(e).id).toBe('token-endpoint-unavailable');
    server.failNext({ status: 502, text: '<html>Bad gateway</html>' });
    expect(await failure(refreshTokens(cfg(), tokens.refreshToken ?? ''))).toMatchObject({
      code: 'server_error',
      status: 502,
      retryable: true,
    });
    expect((await refreshTokens(cfg(), tokens.refreshToken ?? '')).accessToken).toEqual(expect.any(String));
  });

  it('a server that echoes secrets in error_description: they are masked', async () => {
    server.failNext({ status: 400, error: 'invalid_request', error_description: `Bad request for secret ${SECRET}` });
    const e = await failure(clientCredentialsToken(cfg({ scope: 'https://outlook.office365.com/.default' })));
    expect(e.description).toContain('****');
    expect(`${e.message} ${e.description}`).not.toContain(SECRET);
  });

  it('no refresh token in the response: redeemCode throws no_refresh_token', async () => {
    server.omitRefreshToken = true;
    try {
      const e = await failure(connect(cfg()));
      expect(e.code).toBe('no_refresh_token');
      expect(adviseOAuth(e, cfg().provider).id).toBe(entra ? 'no-refresh-token-microsoft' : 'no-refresh-token');
    } finally {
      server.omitRefreshToken = false;
    }
  });

  it('token endpoint unreachable: a retryable network error', async () => {
    const port = await closedPort();
    const tokenEndpoint = entra ? `https://127.0.0.1:${port}/${TENANT}/oauth2/v2.0/token` : `https://127.0.0.1:${port}/token`;
    const restore = allowHttps(server.origin, tokenEndpoint);
    try {
      const e = await failure(clientCredentialsToken(cfg({ tokenEndpoint, scope: 'https://outlook.office365.com/.default' })));
      expect(e).toMatchObject({ code: 'network', retryable: true });
    } finally {
      restore();
    }
  });

  it('authorization endpoint unreachable: refused with the reason before the browser is sent there', async () => {
    const port = await closedPort();
    const authorizationEndpoint = `https://127.0.0.1:${port}/${entra ? `${TENANT}/oauth2/v2.0/` : ''}authorize`;
    const restore = allowHttps(server.origin, authorizationEndpoint);
    try {
      const e = await failure(
        authorizationUrl(cfg({ authorizationEndpoint }), { redirectUri: REDIRECT, state: 's', codeChallenge: 'c' }),
      );
      expect(e.code).toBe('authorization_unreachable');
      expect(adviseOAuth(e).id).toBe('authorization-endpoint-unreachable');
      expect(e.description).toBe(`The authorization endpoint 127.0.0.1:${port} could not be reached (ECONNREFUSED).`);
    } finally {
      restore();
    }
  });

  it('a certificate credential: the signed client assertion is verified by the server', async () => {
    const withCert = (thumbprint: string) =>
      cfg({
        clientId: CERT_CLIENT,
        credential: { type: 'certificate', thumbprint, privateKey: cert.key },
        scope: 'https://outlook.office365.com/.default',
      });
    expect((await clientCredentialsToken(withCert(cert.sha256))).accessToken).toEqual(expect.any(String));
    if (entra) expect((await clientCredentialsToken(withCert(cert.sha1))).accessToken).toEqual(expect.any(String));
    const other = await generate([{ name: 'commonName', value: 'not-registered' }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
    });
    const e = await failure(
      clientCredentialsToken(
        cfg({
          clientId: CERT_CLIENT,
          credential: { type: 'certificate', thumbprint: cert.sha256, privateKey: other.private },
          scope: 'https://outlook.office365.com/.default',
        }),
      ),
    );
    expect(e.code).toBe('invalid_client');
    expect(`${e.message} ${e.description}`).not.toContain('PRIVATE KEY');
  });
});

describe('Microsoft specifics', () => {
  it('makes no discovery call: authority, metadata and known authority come from the configured endpoints', async () => {
    const from = server.requests.length;
    await connect(microsoft());
    const made = server.requests.slice(from);
    expect(made.filter((r) => /well-known|discovery|instance/.test(r))).toEqual([]);
    expect(made).toContain(`POST /${TENANT}/oauth2/v2.0/token`);
  });

  it('adds offline_access even when the admin left it out, so a refresh token comes back', async () => {
    const { tokens } = await connect(microsoft({ scope: 'https://outlook.office.com/SMTP.Send' }));
    expect(tokens.refreshToken).toEqual(expect.any(String));
  });

  it('an unregistered redirect URI is stopped at the authorize page with AADSTS50011', async () => {
    const url = await authorizationUrl(microsoft(), {
      redirectUri: 'https://mailroom.example.test/wrong',
      state: 'x',
      codeChallenge: createPkce().challenge,
    });
    const page = await fetch(url);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS50011');
    expect(adviseOAuth(new OAuthError('invalid_request', 'AADSTS50011: The redirect URI does not match.')).id).toBe(
      'redirect-uri-mismatch',
    );
  });
});

describe('an OpenID Connect provider whose ID token carries only sub', () => {
  const subOnly = async <T>(run: () => Promise<T>): Promise<T> => {
    server.idTokenSubOnly = true;
    try {
      return await run();
    } finally {
      server.idTokenSubOnly = false;
    }
  };

  it('the account comes from the userinfo endpoint, for a sign-in and for the password grant', async () => {
    const withUserinfo = generic();
    expect(withUserinfo.userinfoEndpoint).toBe(`${server.origin}/userinfo`);
    const { tokens } = await subOnly(() => connect(withUserinfo));
    expect(tokens.account).toBe(USER);
    const password = await subOnly(() => passwordToken(withUserinfo, { username: USER, password: PASSWORD }));
    expect(password.account).toBe(USER);
    expect(server.requests.filter((r) => r === 'GET /userinfo').length).toBeGreaterThanOrEqual(2);
  });

  it('without a userinfo endpoint the account stays unknown; a refresh does not ask for it', async () => {
    const { tokens } = await subOnly(() => connect(generic({ userinfoEndpoint: undefined })));
    expect(tokens.account).toBeUndefined();
    const before = server.requests.length;
    await subOnly(() => refreshTokens(generic(), tokens.refreshToken!));
    expect(server.requests.slice(before)).toEqual(['POST /token']);
  });
});

describe('Google', () => {
  const google = (): OAuthConfig => ({ ...generic(), provider: 'google', scope: 'https://mail.google.com/' });

  it('authorization URL asks for offline access and consent, and openid email to learn the account', async () => {
    const q = new URL(
      await authorizationUrl(google(), { redirectUri: REDIRECT, state: 'g', codeChallenge: createPkce().challenge }),
    ).searchParams;
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect((q.get('scope') ?? '').split(' ')).toEqual(['https://mail.google.com/', 'openid', 'email']);
  });

  it('client credentials are refused before any request', async () => {
    const before = server.counters.tokenRequests;
    const e = await failure(clientCredentialsToken(google()));
    expect(e.code).toBe('unsupported_grant_type');
    expect(server.counters.tokenRequests).toBe(before);
  });
});

describe('trust and configuration', () => {
  it('without the test CA the token endpoint is not trusted (proves requests use the process-wide trust, as in production)', async () => {
    // Through "localhost", which no earlier test connected to: a new connection, so a new TLS handshake.
    const fresh = (c: OAuthConfig): OAuthConfig => ({
      ...c,
      tokenEndpoint: c.tokenEndpoint.replace('127.0.0.1', 'localhost'),
      authorizationEndpoint: c.authorizationEndpoint.replace('127.0.0.1', 'localhost'),
    });
    untrust();
    try {
      const e = await failure(clientCredentialsToken(fresh(microsoft({ scope: 'https://outlook.office365.com/.default' }))));
      expect(e).toMatchObject({ code: 'tls', retryable: false });
      expect(adviseOAuth(e).id).toBe('tls-untrusted');
      expect((await failure(clientCredentialsToken(fresh(generic())))).code).toBe('tls');
    } finally {
      untrust = trustTestCa(server.caPem);
    }
  });

  it.each([
    ['Microsoft (MSAL)', microsoft, 'https://outlook.office365.com/.default'],
    ['generic (oauth4webapi)', generic, 'smtp.send'],
  ] as const)('%s: a token endpoint outside the destination policy gets no request', async (_name, cfg, scope) => {
    const before = server.requests.length;
    const restore = allowHttps('https://127.0.0.1:8443');
    try {
      const port = await failure(clientCredentialsToken(cfg({ scope })));
      expect(port).toMatchObject({ code: 'invalid_configuration', retryable: false });
      expect(port.description).toMatch(
        /^The token endpoint 127\.0\.0\.1:\d+ is not allowed: Port \d+ is not allowed .*HTTP_ALLOWED_PORTS/,
      );
    } finally {
      restore();
    }
    process.env.SMTP_DENIED_HOSTS = '127.0.0.1';
    resetEnvCache();
    try {
      const denied = await failure(clientCredentialsToken(cfg({ scope })));
      expect(denied.description).toContain('is on the deny list (SMTP_DENIED_HOSTS)');
      // The consent page is the browser's connection, but it may not be aimed there either.
      const consent = await failure(authorizationUrl(cfg({ scope }), { redirectUri: REDIRECT, state: 's', codeChallenge: 'c' }));
      expect(consent.description).toMatch(/^The authorization endpoint 127\.0\.0\.1:\d+ is not allowed: .*deny list/);
    } finally {
      delete process.env.SMTP_DENIED_HOSTS;
      resetEnvCache();
    }
    expect(server.requests.length).toBe(before);
  });

  it('http:// endpoints are refused before any request', async () => {
    const e = await failure(
      clientCredentialsToken(generic({ tokenEndpoint: server.generic.tokenEndpoint.replace('https:', 'http:') })),
    );
    expect(e.code).toBe('invalid_configuration');
  });
});

describe('XOAUTH2 end to end', () => {
  it('an access token from the server sends through the SMTP peer; a made-up token gets 535', async () => {
    const { tokens } = await connect(microsoft());
    const peer = await startSmtpPeer({
      authMethods: ['XOAUTH2'],
      validateToken: (user, token) => server.isValidAccessToken(user, token),
    });
    try {
      const target = { host: '127.0.0.1', port: peer.port, securityMode: 'starttls' as const, allowSelfSigned: true };
      const policy = { allowedPorts: [peer.port], allowHosts: [], denyHosts: [] };
      const message = { from: { address: USER }, to: 'admin@contoso.example', subject: 'OAuth test', text: 'Hello.' };
      const ok = await sendViaSmtp(target, { type: 'oauth2', user: USER, accessToken: async () => tokens.accessToken }, message, {
        policy,
      });
      expect(ok.ok).toBe(true);
      expect(peer.messages.map((m) => m.user)).toEqual([USER]);
      expect(JSON.stringify(ok)).not.toContain(tokens.accessToken);

      const bad = await sendViaSmtp(
        target,
        { type: 'oauth2', user: USER, accessToken: async () => 'made-up-token-0123456789' },
        message,
        { policy },
      );
      expect(bad).toMatchObject({ ok: false, failedStep: 'auth', reply: { code: 535 } });
    } finally {
      await peer.close();
    }
  });
});
