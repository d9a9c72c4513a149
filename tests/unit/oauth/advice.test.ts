import { describe, expect, it } from 'vitest';
import { OAUTH_ADVICE, adviseOAuth } from '@/lib/oauth/advice';
import { OAuthError } from '@/lib/oauth/types';

/** The AADSTS rows of docs/providers.md#entra-id-errors: code → advice id, and what the advice must say. */
const AADSTS_ROWS: [aadsts: string, error: string, id: string, says: RegExp][] = [
  ['AADSTS50011', 'invalid_request', 'redirect-uri-mismatch', /paste the exact redirect URI shown by the console/],
  ['AADSTS700016', 'unauthorized_client', 'app-not-found', /Client ID.*Tenant ID/],
  ['AADSTS7000215', 'invalid_client', 'secret-id-not-value', /value.*not the secret ID|"Value" column is the secret/],
  ['AADSTS7000222', 'invalid_client', 'secret-expired', /new client secret/],
  ['AADSTS70008', 'invalid_grant', 'refresh-token-expired', /Connect/],
  ['AADSTS700082', 'invalid_grant', 'refresh-token-inactive', /90 days.*Connect/],
  ['AADSTS65004', 'access_denied', 'consent-declined', /Connect again and accept/],
  ['AADSTS50173', 'invalid_grant', 'grant-revoked', /Connect/],
  ['AADSTS65001', 'invalid_grant', 'consent-missing', /admin consent/],
  ['AADSTS50076', 'invalid_grant', 'mfa-required', /authorization code/],
  ['AADSTS50079', 'invalid_grant', 'mfa-required', /authorization code/],
  ['AADSTS53003', 'access_denied', 'conditional-access', /exclude/],
  ['AADSTS50194', 'invalid_request', 'single-tenant-common', /Tenant ID/],
  ['AADSTS90002', 'invalid_request', 'tenant-not-found', /tenant.*cloud|cloud/i],
  ['AADSTS90038', 'invalid_request', 'tenant-not-found', /login\.microsoftonline\.us/],
];

describe('OAuth advice catalogue', () => {
  it('is well-formed data: unique ids, a title and a detail each, a catch-all last', () => {
    const ids = OAUTH_ADVICE.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of OAUTH_ADVICE) {
      expect(a.title.length).toBeGreaterThan(5);
      expect(a.detail.length).toBeGreaterThan(20);
    }
    expect(OAUTH_ADVICE[OAUTH_ADVICE.length - 1]).toMatchObject({ id: 'oauth-error', match: {} });
    expect(adviseOAuth(new OAuthError('something_new', 'x')).id).toBe('oauth-error');
  });

  describe('every AADSTS row of docs/providers.md', () => {
    it.each(AADSTS_ROWS)('%s (%s) → %s', (aadsts, error, id, says) => {
      const fromBody = OAuthError.fromErrorBody(
        {
          error,
          error_description: `${aadsts}: Something went wrong.\r\nTrace ID: 1\r\nCorrelation ID: 2`,
          error_codes: [Number(aadsts.slice(6))],
        },
        400,
      );
      expect(fromBody.aadsts).toBe(aadsts);
      expect(fromBody.description).not.toMatch(/Trace ID/);
      const advice = adviseOAuth(fromBody);
      expect(advice.id).toBe(id);
      expect(advice.detail).toMatch(says);
      // Found from the description alone too (error_codes missing, e.g. on the authorize redirect).
      expect(adviseOAuth(new OAuthError(error, `${aadsts}: Something went wrong.`)).id).toBe(id);
    });
  });

  it('AADSTS advice wins over the generic OAuth error; unknown AADSTS codes fall back to it', () => {
    expect(adviseOAuth(new OAuthError('invalid_client', 'AADSTS7000215: Invalid client secret provided.')).id).toBe(
      'secret-id-not-value',
    );
    expect(adviseOAuth(new OAuthError('invalid_client', 'AADSTS12345: New.')).id).toBe('invalid-client');
    expect(adviseOAuth(new OAuthError('invalid_grant', 'AADSTS12345: New.')).id).toBe('invalid-grant');
  });

  it.each([
    ['invalid_grant', 'invalid-grant'],
    ['invalid_client', 'invalid-client'],
    ['access_denied', 'access-denied'],
    ['unauthorized_client', 'unauthorized-client'],
    ['invalid_scope', 'invalid-scope'],
    ['unsupported_grant_type', 'unsupported-grant-type'],
    ['redirect_uri_mismatch', 'redirect-uri-mismatch-oauth'],
    ['tls', 'tls-untrusted'],
    ['invalid_configuration', 'invalid-configuration'],
  ])('generic OAuth error %s → %s', (code, id) => {
    expect(adviseOAuth(new OAuthError(code, 'x', { status: 400 })).id).toBe(id);
  });

  it('access_denied says the sign-in or consent was cancelled or denied', () => {
    expect(adviseOAuth(new OAuthError('access_denied', 'The user cancelled.')).detail).toMatch(/cancelled.*denied/);
  });

  it('no refresh token: Microsoft → offline_access; Google → prompt=consent and the 7-day Testing limit', () => {
    const e = new OAuthError('no_refresh_token', 'none');
    expect(adviseOAuth(e, 'microsoft')).toMatchObject({
      id: 'no-refresh-token-microsoft',
      detail: expect.stringMatching(/offline_access/),
    });
    const google = adviseOAuth(e, 'google');
    expect(google.id).toBe('no-refresh-token-google');
    expect(google.detail).toMatch(/prompt=consent/);
    expect(google.detail).toMatch(/Testing.*7 days/);
    expect(adviseOAuth(e).detail).toMatch(/offline_access.*prompt=consent/s);
  });

  it('network errors and 5xx: the refresh token was kept, try again', () => {
    for (const e of [
      new OAuthError('network', 'unreachable'),
      OAuthError.fromErrorBody({ error: 'temporarily_unavailable' }, 503),
      OAuthError.fromErrorBody(undefined, 502),
      new OAuthError('invalid_request', 'odd', { status: 500 }),
    ]) {
      expect(e.retryable).toBe(true);
      const a = adviseOAuth(e);
      expect(a.id).toBe('token-endpoint-unavailable');
      expect(a.detail).toMatch(/unreachable or failing; the stored refresh token was kept; try again/i);
    }
    expect(OAuthError.fromErrorBody(undefined, 502).code).toBe('server_error');
  });
});

describe('OAuthError', () => {
  it('redacts secrets from the description and message', () => {
    const e = new OAuthError('invalid_request', 'secret s3cr3t-value and token abc.def echoed').redact([
      's3cr3t-value',
      'abc.def',
      undefined,
      '',
    ]);
    expect(e.description).toBe('secret **** and token **** echoed');
    expect(e.message).not.toMatch(/s3cr3t|abc\.def/);
  });

  it('classifies fetch failures: timeout and refusal are retryable, an untrusted certificate is not', () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(OAuthError.fromFetchFailure(timeout, 'https://login.example/token')).toMatchObject({
      code: 'network',
      retryable: true,
    });
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(OAuthError.fromFetchFailure(refused, 'https://login.example/token')).toMatchObject({
      code: 'network',
      retryable: true,
    });
    const cert = new TypeError('fetch failed', {
      cause: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    });
    expect(OAuthError.fromFetchFailure(cert, 'https://login.example/token')).toMatchObject({ code: 'tls', retryable: false });
  });
});
