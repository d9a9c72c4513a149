/**
 * Generic OAuth 2.0 / OIDC issuer discovery (lib/oauth/discovery.ts) against the local HTTPS
 * authorization server, and the exact issuer check it enables in the generic driver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, createPkce, redeemCode } from '@/lib/oauth/client';
import { resetEnvCache } from '@/lib/env';
import { discoverIssuer } from '@/lib/oauth/discovery';
import { OAuthError, type OAuthConfig } from '@/lib/oauth/types';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { signInAt } from '@/tests/support/oauth-sign-in';
import { closedPort } from '@/tests/support/smtp-peer';
import { allowHttps } from '@/tests/support/allow-https';
import { trustTestCa } from '@/tests/support/trust-test-ca';

const TENANT = 'contoso.onmicrosoft.com';
const CLIENT = 'generic-mailroom';
const SECRET = 'generic-client-secret-value';
const REDIRECT = 'https://mailroom.example.test/api/oauth/callback';
const USER = 'helpdesk@example.test';

let server: OAuthTestServer;
let untrust: () => void;
let disallow: () => void;

beforeAll(async () => {
  server = await startOAuthServer({ clients: { [CLIENT]: { secret: SECRET, redirectUris: [REDIRECT] } } });
  untrust = trustTestCa(server.caPem);
  disallow = allowHttps(server.origin);
});
afterAll(async () => {
  untrust();
  disallow();
  await server.close();
});

async function failure(p: Promise<unknown>): Promise<OAuthError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OAuthError);
  return e as OAuthError;
}

describe('discoverIssuer', () => {
  it('reads the endpoints and scopes of an issuer at the server root', async () => {
    const d = await discoverIssuer(server.generic.issuer);
    expect(d).toEqual({
      issuer: server.generic.issuer,
      authorizationEndpoint: server.generic.authorizationEndpoint,
      tokenEndpoint: server.generic.tokenEndpoint,
      userinfoEndpoint: server.generic.userinfoEndpoint,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      warnings: [],
    });
    expect(server.requests).toContain('GET /.well-known/openid-configuration');
  });

  it('reads an issuer with a path (Entra-style tenant issuer)', async () => {
    const e = server.entra(TENANT);
    const d = await discoverIssuer(`  ${e.issuer}  `);
    expect(d).toMatchObject({ issuer: e.issuer, authorizationEndpoint: e.authorizationEndpoint, tokenEndpoint: e.tokenEndpoint });
  });

  it('an issuer that differs from the one the document names is refused, naming the right one', async () => {
    const e = server.entra(TENANT);
    const err = await failure(discoverIssuer(`${e.issuer}/`));
    expect(err.code).toBe('invalid_configuration');
    expect(err.description).toBe(
      `The discovery document names the issuer ${e.issuer}, not ${e.issuer}/. Enter exactly ${e.issuer}.`,
    );
  });

  it('no document at either well-known path: says so and suggests entering the endpoints', async () => {
    const err = await failure(discoverIssuer(`${server.origin}/realms/none`));
    expect(err.description).toMatch(/publishes no discovery document .*\/realms\/none .*enter the endpoints by hand/);
    expect(server.requests).toEqual(
      expect.arrayContaining([
        'GET /realms/none/.well-known/openid-configuration',
        'GET /.well-known/oauth-authorization-server/realms/none',
      ]),
    );
  });

  it('lists what the server lacks as warnings', async () => {
    server.discoveryOverrides = { grant_types_supported: ['client_credentials'], code_challenge_methods_supported: ['plain'] };
    try {
      const d = await discoverIssuer(server.generic.issuer);
      expect(d.warnings).toEqual([
        'The server does not list the authorization code grant.',
        'The server does not list the refresh token grant: the connection may need a reconnect when the access token expires.',
        'The server does not list PKCE S256, which Mailroom always sends.',
      ]);
    } finally {
      server.discoveryOverrides = {};
    }
  });

  it('refuses non-https and malformed issuers before any request', async () => {
    const before = server.requests.length;
    expect((await failure(discoverIssuer(server.generic.issuer.replace('https:', 'http:')))).description).toBe(
      'The issuer must be an https:// URL.',
    );
    expect((await failure(discoverIssuer('id.example.com'))).code).toBe('invalid_configuration');
    expect(server.requests.length).toBe(before);
  });

  it('unreachable and untrusted issuers are explained', async () => {
    const port = await closedPort();
    const restore = allowHttps(server.origin, `https://127.0.0.1:${port}`);
    try {
      const down = await failure(discoverIssuer(`https://127.0.0.1:${port}`));
      expect(down).toMatchObject({ code: 'network' });
      expect(down.description).toBe(`The issuer 127.0.0.1:${port} could not be reached (ECONNREFUSED).`);
    } finally {
      restore();
    }
    untrust();
    try {
      // Through "localhost", which no earlier test connected to: a new connection, so a new TLS handshake.
      expect(await failure(discoverIssuer(server.generic.issuer.replace('127.0.0.1', 'localhost')))).toMatchObject({
        code: 'tls',
      });
    } finally {
      untrust = trustTestCa(server.caPem);
    }
  });
});

describe('the destination policy', () => {
  it('an issuer on a port outside HTTP_ALLOWED_PORTS is refused without a connection', async () => {
    const restore = allowHttps('https://127.0.0.1:8443');
    const before = server.requests.length;
    try {
      const e = await failure(discoverIssuer(server.generic.issuer));
      expect(e).toMatchObject({ code: 'invalid_configuration', retryable: false });
      expect(e.description).toMatch(
        /^The issuer 127\.0\.0\.1:\d+ is not allowed: Port \d+ is not allowed \(allowed: 443, 8443; set by HTTP_ALLOWED_PORTS\)/,
      );
      expect(server.requests.length).toBe(before);
    } finally {
      restore();
    }
  });

  it('the host lists apply to the address connected to: a name that resolves to a denied address is refused', async () => {
    process.env.SMTP_DENIED_HOSTS = '127.0.0.0/8, ::1';
    resetEnvCache();
    const before = server.requests.length;
    try {
      // "localhost" is not on the list; what it resolves to is.
      const e = await failure(discoverIssuer(server.generic.issuer.replace('127.0.0.1', 'localhost')));
      expect(e.description).toMatch(/is on the deny list \(SMTP_DENIED_HOSTS\)\. No connection was made\.$/);
      expect(server.requests.length).toBe(before);
    } finally {
      delete process.env.SMTP_DENIED_HOSTS;
      resetEnvCache();
    }
  });
});

describe('generic driver with a discovered issuer', () => {
  const cfg = (issuer: string): OAuthConfig => ({
    provider: 'generic',
    cloud: 'global',
    tenantId: '',
    clientId: CLIENT,
    credential: { type: 'secret', secret: SECRET },
    ...server.generic,
    issuer,
    scope: 'openid email smtp.send',
  });

  async function signInAndRedeem(c: OAuthConfig) {
    const pkce = createPkce();
    const back = await signInAt(
      await authorizationUrl(c, { redirectUri: REDIRECT, state: 'st', codeChallenge: pkce.challenge }),
      USER,
    );
    return redeemCode(c, { code: back.searchParams.get('code') ?? '', codeVerifier: pkce.verifier, redirectUri: REDIRECT });
  }

  it('accepts ID tokens from exactly that issuer', async () => {
    const tokens = await signInAndRedeem(cfg(server.generic.issuer));
    expect(tokens.account).toBe(USER);
    expect(tokens.refreshToken).toEqual(expect.any(String));
  });

  it('refuses an ID token from another issuer, even on the token endpoint’s own origin', async () => {
    const err = await failure(signInAndRedeem(cfg(`${server.origin}/realms/other`)));
    expect(err.code).toBe('invalid_response');
    expect(err.description).toBe(
      `The ID token was issued by ${server.generic.issuer}, not by the configured issuer ${server.origin}/realms/other. Correct the Issuer field (or use Discover endpoints again) and save.`,
    );
  });
});
