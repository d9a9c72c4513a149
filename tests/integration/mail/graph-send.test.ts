/**
 * The Graph engine (sendMail) against a local HTTPS Graph stand-in whose tokens come
 * from the local OAuth server (Entra paths): client credentials and a delegated sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendViaGraph } from '@/lib/mail/graph/send';
import {
  SendError,
  type DestinationPolicy,
  type GraphSettings,
  type Step,
  type OutgoingMessage,
  type SendResult,
} from '@/lib/mail/types';
import { startGraphServer, type GraphTestServer } from '@/tests/support/graph-server';
import { startOAuthServer, type OAuthTestServer } from '@/tests/support/oauth-server';
import { closedPort } from '@/tests/support/smtp-peer';
import { httpsPorts } from '@/tests/support/allow-https';
import { trustTestCa } from '@/tests/support/trust-test-ca';

const TENANT = 'contoso.onmicrosoft.com';
const CLIENT = '5a8e2c14-7b3d-4f60-9e1a-2c4b6d8f0a13';
const SECRET = 'graph~test.secret-VALUE_9876543210zyxw';
const REDIRECT = 'https://mailroom.example.test/api/oauth/callback';
const MAILBOX = 'notifications@contoso.example';
const USER = 'helpdesk@contoso.example';
const message: OutgoingMessage = {
  from: { address: MAILBOX, name: 'Mailroom Test' },
  to: 'admin@example.org',
  subject: 'Mailroom test — Contoso',
  text: 'Hello from Mailroom.\nSecond line.',
};
/** The HTTPS policy with the local Graph server's port allowed, as HTTP_ALLOWED_PORTS would (set in beforeAll). */
let policy: DestinationPolicy;

let oauth: OAuthTestServer;
let graph: GraphTestServer;
let untrust: () => void;
let appToken: string;
let userToken: string;
const issued: string[] = [];

async function tokenRequest(form: Record<string, string>): Promise<string> {
  const res = await fetch(oauth.entra(TENANT).tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ client_id: CLIENT, client_secret: SECRET, ...form }),
  });
  const body = (await res.json()) as { access_token?: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  issued.push(body.access_token ?? '');
  return body.access_token ?? '';
}
const clientCredentials = (scope: string) => tokenRequest({ grant_type: 'client_credentials', scope });

/** Authorization code + PKCE through the server's sign-in page, like a browser. */
async function signIn(username: string, scope: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    client_id: CLIENT,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope,
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const html = await (await fetch(`${oauth.entra(TENANT).authorizationEndpoint}?${q}`)).text();
  const form = new URLSearchParams({ txn: /name="txn" value="([^"]+)"/.exec(html)?.[1] ?? '', username, action: 'signin' });
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '', oauth.origin);
  const back = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
  return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
}

beforeAll(async () => {
  oauth = await startOAuthServer({ clients: { [CLIENT]: { secret: SECRET, redirectUris: [REDIRECT] } } });
  graph = await startGraphServer({
    mailboxes: [MAILBOX, USER],
    validate: (token) => {
      const t = oauth.issuedFor(token);
      if (!t || t.kind !== 'access') return { ok: false };
      if (t.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
      return { ok: true, user: t.user, appOnly: !t.user, scope: t.scope };
    },
  });
  untrust = trustTestCa(oauth.caPem, graph.caPem);
  policy = {
    allowedPorts: [443, Number(httpsPorts(graph.url))],
    allowHosts: [],
    denyHosts: [],
    portsSetting: 'HTTP_ALLOWED_PORTS',
  };
  appToken = await clientCredentials('https://graph.microsoft.com/.default');
  userToken = await signIn(USER, 'https://graph.microsoft.com/Mail.Send offline_access openid email');
});
afterAll(async () => {
  untrust?.();
  await graph?.close();
  await oauth?.close();
});

const appOnly = (t: Partial<GraphSettings> = {}): GraphSettings => ({
  endpoint: graph.url,
  sender: MAILBOX,
  delegated: false,
  ...t,
});
const alsoPort = (port: number): DestinationPolicy => ({ ...policy, allowedPorts: [...policy.allowedPorts, port] });
const status = (r: SendResult) => Object.fromEntries(r.steps.map((s) => [s.name, s.status]));
function expectNoTokens(r: SendResult) {
  const json = JSON.stringify(r);
  for (const t of issued) expect(json).not.toContain(t);
}
async function run(
  target: GraphSettings,
  token: string | (() => Promise<string>),
  opts: { policy?: DestinationPolicy; msg?: OutgoingMessage } = {},
) {
  const before = graph.requests;
  const r = await sendViaGraph(target, typeof token === 'string' ? async () => token : token, opts.msg ?? message, {
    policy: opts.policy ?? policy,
  });
  expectNoTokens(r);
  return { r, requests: graph.requests - before };
}

describe('sendViaGraph: successful sends', () => {
  it('app-only (client credentials, .default): 202, the message arrives, request-id is the queue id', async () => {
    const streamed: Step[] = [];
    const before = graph.messages.length;
    const r = await sendViaGraph(appOnly(), async () => appToken, message, { policy, onStep: (s) => streamed.push(s) });

    expect(r).toMatchObject({ ok: true, transport: 'graph', reply: { code: 202 }, connections: 1 });
    expect(r.failedStep).toBeUndefined();
    expect(status(r)).toEqual({ resolve: 'ok', token: 'ok', request: 'ok', accepted: 'ok' });
    expect(r.steps.map((s) => s.name)).toEqual(['resolve', 'token', 'request', 'accepted']);
    expect(streamed).toEqual(r.steps);

    expect(graph.messages).toHaveLength(before + 1);
    const got = graph.messages[before];
    expect(got).toMatchObject({ mailbox: MAILBOX, via: 'users', appOnly: true, user: undefined, saveToSentItems: false });
    expect(got.message.subject).toBe(message.subject);
    expect(got.message.body).toEqual({ contentType: 'Text', content: message.text });
    expect(got.message.toRecipients).toEqual([{ emailAddress: { address: 'admin@example.org' } }]);
    expect(got.message.from).toEqual({ emailAddress: { address: MAILBOX, name: 'Mailroom Test' } });
    expect(r.queueId).toBe(got.requestId);

    expect(r.transcript[0]).toBe(`C: POST ${graph.url}/users/${encodeURIComponent(MAILBOX)}/sendMail`);
    expect(r.transcript).toContain('C: Authorization: Bearer ****');
    expect(
      r.transcript.some(
        (l) =>
          l.includes(`subject "${message.subject}"`) && l.includes('to <admin@example.org>') && /\[body: \d+ chars\]/.test(l),
      ),
    ).toBe(true);
    expect(r.transcript).toContain('S: HTTP 202 Accepted');
    expect(r.transcript).toContain(`S: request-id: ${got.requestId}`);
    expect(r.transcript.join('\n')).not.toContain('Hello from Mailroom');
  });

  it('delegated (sign-in, Mail.Send): POST /me/sendMail as the signed-in user', async () => {
    const before = graph.messages.length;
    const { r } = await run({ endpoint: `${graph.url}/`, sender: USER, delegated: true }, userToken, {
      msg: { ...message, from: { address: USER } },
    });
    expect(r.ok).toBe(true);
    expect(r.transcript[0]).toBe(`C: POST ${graph.url}/me/sendMail`);
    expect(graph.messages[before]).toMatchObject({ mailbox: USER, via: 'me', user: USER, appOnly: false });
    expect(graph.messages[before].message.from).toBeUndefined();
  });

  it('several To and Cc recipients become toRecipients and ccRecipients', async () => {
    const before = graph.messages.length;
    const { r } = await run({ endpoint: graph.url, sender: USER, delegated: true }, userToken, {
      msg: { ...message, from: { address: USER }, to: ['admin@example.org', 'ops@example.org'], cc: ['audit@example.org'] },
    });
    expect(r.ok).toBe(true);
    expect(graph.messages[before].message.toRecipients).toEqual([
      { emailAddress: { address: 'admin@example.org' } },
      { emailAddress: { address: 'ops@example.org' } },
    ]);
    expect(graph.messages[before].message.ccRecipients).toEqual([{ emailAddress: { address: 'audit@example.org' } }]);
    expect(r.transcript.some((l) => l.includes('to <admin@example.org>, <ops@example.org>, cc <audit@example.org>'))).toBe(true);
  });

  it('an HTML message is sent as Graph’s HTML body', async () => {
    const before = graph.messages.length;
    const { r } = await run({ endpoint: graph.url, sender: USER, delegated: true }, userToken, {
      msg: { ...message, from: { address: USER }, html: '<p>Hi</p>' },
    });
    expect(r.ok).toBe(true);
    expect(graph.messages[before].message.body).toEqual({ contentType: 'HTML', content: '<p>Hi</p>' });
    expect(r.transcript.some((l) => l.includes('[body: 9 chars, HTML]'))).toBe(true);
  });

  it('429 with Retry-After 1: waits, retries once and succeeds', async () => {
    graph.failNext({
      status: 429,
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
      retryAfter: 1,
    });
    const { r, requests } = await run(appOnly(), appToken);
    expect(r.ok).toBe(true);
    expect(requests).toBe(2);
    expect(r.connections).toBe(2);
    expect(r.durationMs).toBeGreaterThanOrEqual(1000);
    expect(r.transcript).toContain('* Throttled (429): waiting 1 s as Retry-After asks, then retrying once.');
    expect(r.transcript).toContain('S: HTTP 429 Too Many Requests');
    expect(r.steps.find((s) => s.name === 'request')?.detail).toMatch(/after one retry/);
  });
});

describe('sendViaGraph: Graph errors become advice', () => {
  it('a token for Outlook (SMTP), not Graph → 401 invalid audience', async () => {
    const outlook = await clientCredentials('https://outlook.office365.com/.default');
    const { r, requests } = await run(appOnly(), outlook);
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'request',
      errorCode: 'EGRAPH_401',
      reply: { code: 401, text: 'InvalidAuthenticationToken: Access token validation failure. Invalid audience.' },
    });
    expect(status(r)).toEqual({ resolve: 'ok', token: 'ok', request: 'failed', accepted: 'skipped' });
    expect(r.advice?.id).toBe('graph-401-audience');
    expect(r.advice?.detail).toContain('https://graph.microsoft.com/.default');
    expect(r.advice?.detail).toContain('https://graph.microsoft.com/Mail.Send offline_access');
    expect(requests).toBe(1);
    expect(r.transcript.some((l) => l.startsWith('S: {"error":{"code":"InvalidAuthenticationToken"'))).toBe(true);
  });

  it('an unknown (or expired) token → 401 with the reconnect advice', async () => {
    const { r } = await run(appOnly(), 'eyJ0eXAiOiJKV1QiLCJub25jZSI6-not-a-real-token');
    expect(r).toMatchObject({ errorCode: 'EGRAPH_401', advice: { id: 'graph-401-token' } });
    expect(JSON.stringify(r)).not.toContain('not-a-real-token');
  });

  it('a delegated token used for another mailbox → 403 access denied', async () => {
    const { r } = await run(appOnly(), userToken);
    expect(r).toMatchObject({ failedStep: 'request', errorCode: 'EGRAPH_403', reply: { code: 403 } });
    expect(r.reply?.text).toMatch(/^ErrorAccessDenied: /);
    expect(r.advice?.id).toBe('graph-403-access-denied');
    expect(r.advice?.detail).toMatch(/Mail\.Send.*admin consent/);
  });

  it('an unknown sender mailbox → 404 ErrorInvalidUser', async () => {
    const { r } = await run(appOnly({ sender: 'nobody@contoso.example' }), appToken, {
      msg: { ...message, from: { address: 'nobody@contoso.example' } },
    });
    expect(r).toMatchObject({
      errorCode: 'EGRAPH_404',
      reply: { code: 404, text: "ErrorInvalidUser: The requested user 'nobody@contoso.example' is invalid." },
      advice: { id: 'graph-404-mailbox' },
    });
  });

  it('a From address the mailbox may not send as → 403 ErrorSendAsDenied', async () => {
    const { r } = await run(appOnly(), appToken, { msg: { ...message, from: { address: 'ceo@contoso.example' } } });
    expect(r).toMatchObject({ errorCode: 'EGRAPH_403', advice: { id: 'graph-403-send-as' } });
  });

  it('429 with Retry-After 120: fails at once, naming the 120 s', async () => {
    graph.failNext({
      status: 429,
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
      retryAfter: 120,
    });
    const { r, requests } = await run(appOnly(), appToken);
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'request',
      errorCode: 'EGRAPH_429',
      reply: { code: 429 },
      advice: { id: 'graph-429-throttled' },
    });
    expect(requests).toBe(1);
    expect(r.durationMs).toBeLessThan(5000);
    expect(r.advice?.detail).toContain('120 s');
    expect(r.transcript).toContain('S: retry-after: 120');
  });

  it('503 → service unavailable advice', async () => {
    graph.failNext({ status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' });
    const { r } = await run(appOnly(), appToken);
    expect(r).toMatchObject({
      errorCode: 'EGRAPH_5XX',
      reply: { code: 503, text: 'ServiceUnavailable: Service Unavailable' },
      advice: { id: 'graph-5xx' },
    });
  });
});

describe('sendViaGraph: before and around the request', () => {
  it('a denied Graph host fails at resolve: no token fetched, no request made', async () => {
    let asked = 0;
    const { r, requests } = await run(appOnly(), async () => (asked++, appToken), {
      policy: { ...policy, denyHosts: ['127.0.0.0/8'] },
    });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'resolve',
      errorCode: 'EPOLICY_DENIED',
      advice: { id: 'policy-denied' },
      connections: 0,
    });
    expect(status(r)).toEqual({ resolve: 'failed', token: 'skipped', request: 'skipped', accepted: 'skipped' });
    expect(requests).toBe(0);
    expect(asked).toBe(0);
  });

  it('a Graph endpoint on a port outside HTTP_ALLOWED_PORTS fails at resolve: no token fetched, no request made', async () => {
    let asked = 0;
    const { r, requests } = await run(appOnly(), async () => (asked++, appToken), { policy: { ...policy, allowedPorts: [443] } });
    expect(r).toMatchObject({ ok: false, failedStep: 'resolve', errorCode: 'EPOLICY_PORT', connections: 0 });
    expect(r.steps.find((s) => s.name === 'resolve')?.detail).toContain('set by HTTP_ALLOWED_PORTS');
    expect(requests).toBe(0);
    expect(asked).toBe(0);
  });

  it('http:// endpoints are refused before any lookup', async () => {
    const { r, requests } = await run(appOnly({ endpoint: graph.url.replace('https:', 'http:') }), appToken);
    expect(r).toMatchObject({ failedStep: 'resolve', errorCode: 'EGRAPH_ENDPOINT', advice: { id: 'graph-endpoint-invalid' } });
    expect(requests).toBe(0);
  });

  it('a token source failure fails the token step (ETOKEN); an SMTP-style step becomes token', async () => {
    const { r } = await run(appOnly(), () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')));
    expect(r).toMatchObject({ failedStep: 'token', errorCode: 'ETOKEN', advice: { id: 'token-failed' } });
    expect(status(r)).toEqual({ resolve: 'ok', token: 'failed', request: 'skipped', accepted: 'skipped' });
    const { r: r2 } = await run(appOnly(), () => Promise.reject(new SendError('EOAUTH_NOT_CONNECTED', 'Not connected.', 'auth')));
    expect(r2).toMatchObject({ failedStep: 'token', errorCode: 'EOAUTH_NOT_CONNECTED', advice: { id: 'oauth-not-connected' } });
  });

  it('a line break in the subject is refused before anything is sent', async () => {
    let asked = 0;
    const { r, requests } = await run(appOnly(), async () => (asked++, appToken), {
      msg: { ...message, subject: 'Hi\r\nBcc: victim@example.org' },
    });
    expect(r).toMatchObject({ failedStep: 'request', errorCode: 'EHEADER', advice: { id: 'invalid-header' } });
    expect(status(r)).toEqual({ resolve: 'skipped', token: 'skipped', request: 'failed', accepted: 'skipped' });
    expect([requests, asked]).toEqual([0, 0]);
  });

  it('nothing listening → network advice', async () => {
    const port = await closedPort();
    const { r } = await run(appOnly({ endpoint: `https://127.0.0.1:${port}/v1.0` }), appToken, { policy: alsoPort(port) });
    expect(r).toMatchObject({ failedStep: 'request', errorCode: 'EGRAPH_NETWORK', advice: { id: 'graph-network' } });
    expect(r.steps.find((s) => s.name === 'request')?.detail).toMatch(/ECONNREFUSED/);
  });

  it('an untrusted certificate → TLS advice, nothing sent', async () => {
    const other = await startGraphServer({
      validate: () => ({ ok: true, appOnly: true, scope: 'https://graph.microsoft.com/.default' }),
    });
    try {
      const { r } = await run(appOnly({ endpoint: other.url }), appToken, { policy: alsoPort(Number(httpsPorts(other.url))) });
      expect(r).toMatchObject({ failedStep: 'request', errorCode: 'EGRAPH_TLS', advice: { id: 'graph-tls' } });
      expect(other.messages).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('an endpoint that never answers stops at the time limit', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => void sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const { r } = await run(appOnly({ endpoint: `https://127.0.0.1:${port}/v1.0`, totalMs: 1500 }), appToken, {
        policy: alsoPort(port),
      });
      expect(r).toMatchObject({ ok: false, failedStep: 'request', errorCode: 'ETOTAL', advice: { id: 'total-timeout' } });
      expect(r.durationMs).toBeLessThan(4000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
