import { describe, expect, it } from 'vitest';
import { ADVICE, adviseFor, type Failure } from '@/lib/mail/advice';
import { retryAfterSeconds } from '@/lib/mail/graph/request';
import { GRAPH_STEP_ORDER, SMTP_STEP_ORDER } from '@/lib/mail/types';

const graph = (errorCode: string, code: number | undefined, text: string): Failure => ({
  step: 'request',
  errorCode,
  code,
  text,
});

describe('Graph advice', () => {
  it.each<[string, Failure]>([
    [
      'graph-401-audience',
      graph('EGRAPH_401', 401, 'InvalidAuthenticationToken: Access token validation failure. Invalid audience.'),
    ],
    [
      'graph-401-token',
      graph('EGRAPH_401', 401, 'InvalidAuthenticationToken: Lifetime validation failed, the token is expired.'),
    ],
    [
      'graph-403-access-denied',
      graph('EGRAPH_403', 403, 'ErrorAccessDenied: Access is denied. Check credentials and try again.'),
    ],
    [
      'graph-403-access-denied',
      graph('EGRAPH_403', 403, 'Authorization_RequestDenied: Insufficient privileges to complete the operation.'),
    ],
    [
      'graph-403-access-policy',
      graph(
        'EGRAPH_403',
        403,
        'ErrorAccessDenied: Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
      ),
    ],
    [
      'graph-403-send-as',
      graph(
        'EGRAPH_403',
        403,
        'ErrorSendAsDenied: The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.',
      ),
    ],
    ['graph-404-mailbox', graph('EGRAPH_404', 404, "ErrorInvalidUser: The requested user 'x@contoso.example' is invalid.")],
    ['graph-404-mailbox', graph('EGRAPH_404', 404, 'ResourceNotFound: Resource could not be discovered.')],
    [
      'graph-404-mailbox-not-enabled',
      graph(
        'EGRAPH_404',
        404,
        'MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
      ),
    ],
    ['graph-400-recipients', graph('EGRAPH_400', 400, "ErrorInvalidRecipients: At least one recipient isn't valid.")],
    [
      'graph-400-bad-request',
      graph('EGRAPH_400', 400, 'BadRequest: /me request is only valid with delegated authentication flow.'),
    ],
    ['graph-429-throttled', graph('EGRAPH_429', 429, 'ApplicationThrottled: Application is over its MailboxConcurrency limit.')],
    ['graph-5xx', graph('EGRAPH_5XX', 503, 'ServiceUnavailable: Service Unavailable')],
    ['graph-4xx', graph('EGRAPH_4XX', 421, 'Misdirected')],
    ['graph-unexpected', graph('EGRAPH_UNEXPECTED', 302, 'Found')],
    ['graph-network', graph('EGRAPH_NETWORK', undefined, 'Could not reach graph.microsoft.com (ECONNREFUSED).')],
    ['graph-tls', graph('EGRAPH_TLS', undefined, 'TLS to graph.microsoft.com failed: the certificate is not trusted.')],
    ['graph-dns', { step: 'resolve', errorCode: 'EGRAPH_DNS', text: 'DNS lookup of graph.microsoft.com failed (ENOTFOUND).' }],
    ['graph-endpoint-invalid', { step: 'resolve', errorCode: 'EGRAPH_ENDPOINT' }],
  ])('%s', (id, failure) => {
    expect(adviseFor(failure).id).toBe(id);
  });

  it('Graph entries only answer Graph error codes, so SMTP failures keep their advice', () => {
    const graphIds = new Set(ADVICE.filter((a) => a.id.startsWith('graph-')).map((a) => a.id));
    expect(graphIds.size).toBeGreaterThanOrEqual(15);
    for (const a of ADVICE.filter((x) => graphIds.has(x.id)))
      expect(a.match.errorCode?.every((c) => c.startsWith('EGRAPH_'))).toBe(true);
    const smtp: Failure[] = [
      { step: 'connect', errorCode: 'ECONNREFUSED' },
      { step: 'tls', errorCode: 'ECERT_UNTRUSTED' },
      { step: 'resolve', errorCode: 'ENOTFOUND' },
      { step: 'auth', code: 535, errorCode: 'EAUTH', text: 'audience' },
      { step: 'data', code: 421, errorCode: 'EMESSAGE' },
    ];
    for (const f of smtp) expect(adviseFor(f).id.startsWith('graph-')).toBe(false);
  });

  it('the 401 audience advice names both Graph scopes; the 403 advice names Mail.Send and admin consent', () => {
    const audience = ADVICE.find((a) => a.id === 'graph-401-audience');
    expect(audience?.detail).toContain('https://graph.microsoft.com/.default');
    expect(audience?.detail).toContain('https://graph.microsoft.com/Mail.Send offline_access');
    expect(ADVICE.find((a) => a.id === 'graph-403-access-denied')?.detail).toMatch(
      /Mail\.Send.*admin consent.*application access policy/s,
    );
  });
});

describe('types', () => {
  it('GRAPH_STEP_ORDER is its own list; SMTP_STEP_ORDER (SMTP) is unchanged', () => {
    expect(GRAPH_STEP_ORDER).toEqual(['resolve', 'token', 'request', 'accepted']);
    expect(SMTP_STEP_ORDER).toEqual(['resolve', 'connect', 'tls', 'ehlo', 'auth', 'mail_from', 'rcpt_to', 'data', 'accepted']);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  it.each<[string | null, number | undefined]>([
    ['1', 1],
    [' 120 ', 120],
    ['0', 0],
    ['Sun, 01 Mar 2026 10:00:30 GMT', 30],
    ['Sun, 01 Mar 2026 09:59:00 GMT', 0],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-5', undefined],
  ])('%s → %s', (value, expected) => {
    expect(retryAfterSeconds(value, now)).toBe(expected);
  });
});
