/**
 * The SMTP engine against real SMTP peers on 127.0.0.1 (smtp-server and raw sockets), no mocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bareSend } from '@/lib/mail/bare-send';
import { sendViaSmtp } from '@/lib/mail/smtp-send';
import type { DestinationPolicy, SmtpAuth, SmtpTarget, Step, OutgoingMessage, SendResult } from '@/lib/mail/types';
import { closedPort, startRawPeer, startSmtpPeer, type Peer, type PeerOptions } from '@/tests/support/smtp-peer';

const USER = 'helpdesk@example.com';
const PASS = 'S3cret-Pa55word!xyz';
const TOKEN = 'ya29.test-access-token-0123456789abcdef';
const message: OutgoingMessage = {
  from: { address: USER, name: 'Mailroom Test' },
  to: 'admin@example.org',
  subject: 'Mailroom test message',
  text: 'Hello from Mailroom.\nSecond line.',
};
/** As a saved profile gives them when the credential was entered after choosing None or "allow self-signed" (most tests here). */
const entered = { unencrypted: true, untrustedCertificate: true };
const basic: SmtpAuth = { type: 'basic', user: USER, pass: PASS, consent: entered };
const oauth: SmtpAuth = { type: 'oauth2', user: USER, accessToken: async () => TOKEN, consent: entered };
const policyFor = (port: number, hosts: Partial<DestinationPolicy> = {}): DestinationPolicy => ({
  allowedPorts: [port],
  allowHosts: [],
  denyHosts: [],
  ...hosts,
});
const target = (port: number, t: Partial<SmtpTarget> = {}): SmtpTarget => ({
  host: '127.0.0.1',
  port,
  securityMode: 'none',
  allowSelfSigned: false,
  ...t,
});

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
async function smtp(o: PeerOptions): Promise<Peer> {
  const p = await startSmtpPeer({ users: { [USER]: PASS }, tokens: { [USER]: TOKEN }, ...o });
  peers.push(p);
  return p;
}
async function raw(kind: Parameters<typeof startRawPeer>[0]): Promise<Peer> {
  const p = await startRawPeer(kind);
  peers.push(p);
  return p;
}

function expectNoSecrets(result: SendResult) {
  const json = JSON.stringify(result);
  for (const s of [
    PASS,
    TOKEN,
    Buffer.from(PASS).toString('base64'),
    Buffer.from(`\u0000${USER}\u0000${PASS}`).toString('base64'),
  ]) {
    expect(json).not.toContain(s);
  }
}
const status = (r: SendResult) => Object.fromEntries(r.steps.map((s) => [s.name, s.status]));

describe('sendViaSmtp: successful sends', () => {
  it('security None + AUTH PLAIN: delivers a well-formed message and reports every step', async () => {
    const peer = await smtp({ starttls: false, allowInsecureAuth: true, queueId: 'Q123ABC' });
    const streamed: Step[] = [];
    const r = await sendViaSmtp(target(peer.port), basic, message, {
      policy: policyFor(peer.port),
      onStep: (s) => streamed.push(s),
    });

    expect(r.ok).toBe(true);
    expect(r.failedStep).toBeUndefined();
    expect(status(r)).toEqual({
      resolve: 'ok',
      connect: 'ok',
      tls: 'skipped',
      ehlo: 'ok',
      auth: 'ok',
      mail_from: 'ok',
      rcpt_to: 'ok',
      data: 'ok',
      accepted: 'ok',
    });
    expect(streamed).toEqual(r.steps);
    expect(r.connections).toBe(1);
    expect(peer.connections).toBe(1);
    expect(r.queueId).toBe('Q123ABC');
    expect(r.reply).toMatchObject({ code: 250 });
    expect(r.steps.find((s) => s.name === 'ehlo')?.detail).toMatch(/AUTH PLAIN LOGIN XOAUTH2/);

    expect(peer.messages).toHaveLength(1);
    const m = peer.messages[0];
    expect(m.from).toBe(USER);
    expect(m.to).toEqual(['admin@example.org']);
    expect(m.user).toBe(USER);
    expect(m.headers.from).toBe('Mailroom Test <helpdesk@example.com>');
    expect(m.headers.to).toBe('admin@example.org');
    expect(m.headers.subject).toBe('Mailroom test message');
    expect(Number.isNaN(Date.parse(m.headers.date))).toBe(false);
    expect(m.headers['message-id']).toBe(r.messageId);
    expect(r.messageId).toMatch(/^<[^@\s]+@example\.com>$/);
    expect(m.body).toContain('Hello from Mailroom.');

    expect(r.transcript).toContain('C: AUTH PLAIN ****');
    expect(r.transcript.some((l) => /^C: \[message body: \d+ bytes\]$/.test(l))).toBe(true);
    expect(r.transcript.some((l) => l.startsWith('S: 250 Ok: queued as Q123ABC'))).toBe(true);
    expectNoSecrets(r);
  });

  it('STARTTLS (required) + AUTH LOGIN: upgrades before AUTH and masks both LOGIN lines', async () => {
    const peer = await smtp({ authMethods: ['LOGIN'] });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }), basic, message, {
      policy: policyFor(peer.port),
    });

    expect(r.ok).toBe(true);
    expect(status(r).tls).toBe('ok');
    expect(r.steps.find((s) => s.name === 'tls')?.detail).toMatch(/^STARTTLS: TLSv1\.[23]/);
    expect(peer.commands.indexOf('STARTTLS')).toBeLessThan(peer.commands.indexOf('AUTH'));
    expect(r.transcript).toContain('C: AUTH LOGIN ****');
    expect(r.transcript.filter((l) => l === 'C: ****')).toHaveLength(2);
    expect(peer.messages).toHaveLength(1);
    expect(r.connections).toBe(1);
    expectNoSecrets(r);
  });

  it('auto on a STARTTLS server upgrades opportunistically', async () => {
    const peer = await smtp({ authOptional: true });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'auto', allowSelfSigned: true }), { type: 'none' }, message, {
      policy: policyFor(peer.port),
    });
    expect(r.ok).toBe(true);
    expect(status(r)).toMatchObject({ tls: 'ok', auth: 'skipped' });
    expect(peer.commands).toContain('STARTTLS');
  });

  it('implicit TLS + XOAUTH2: the server checks the token; the token never appears in the result', async () => {
    const peer = await smtp({ secure: true });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'tls', allowSelfSigned: true }), oauth, message, {
      policy: policyFor(peer.port),
    });

    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.name === 'tls')?.detail).toMatch(/^Implicit TLS: TLSv1\.[23].*NOT trusted/);
    expect(r.steps.find((s) => s.name === 'auth')?.detail).toBe(`Authenticated as ${USER} with XOAUTH2.`);
    expect(r.transcript).toContain('C: AUTH XOAUTH2 ****');
    expect(peer.messages[0]?.user).toBe(USER);
    expectNoSecrets(r);
  });

  it('bareSend delivers the same message through the plain nodemailer transport', async () => {
    const peer = await smtp({});
    const info = await bareSend(target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }), basic, message);
    expect(info.response).toMatch(/^250 /);
    expect(peer.messages[0]?.headers['message-id']).toBe(info.messageId);
    expect(peer.messages[0]?.headers.from).toBe('Mailroom Test <helpdesk@example.com>');
  });
});

describe('sendViaSmtp: TLS failures', () => {
  it('a self-signed certificate fails STARTTLS unless allowed, and AUTH is never sent', async () => {
    const peer = await smtp({});
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls' }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'tls', errorCode: 'ECERT_UNTRUSTED', advice: { id: 'cert-untrusted' } });
    expect(peer.commands).not.toContain('AUTH');
    expectNoSecrets(r);
  });

  it('a self-signed certificate fails implicit TLS unless allowed', async () => {
    const peer = await smtp({ secure: true });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'tls' }), basic, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({ ok: false, failedStep: 'tls', errorCode: 'ECERT_UNTRUSTED', advice: { id: 'cert-untrusted' } });
    expect(r.advice?.detail).toMatch(/allow self-signed/);
  });

  it('STARTTLS required but not offered: fails at tls before any AUTH', async () => {
    const peer = await smtp({ starttls: false });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'tls', errorCode: 'ENOSTARTTLS', advice: { id: 'starttls-not-offered' } });
    expect(status(r)).toMatchObject({ connect: 'ok', tls: 'failed', ehlo: 'skipped', auth: 'skipped' });
    expect(peer.commands).not.toContain('AUTH');
    expect(peer.commands).not.toContain('STARTTLS');
  });

  it('auto on a server without STARTTLS does not send the password in clear text', async () => {
    const peer = await smtp({ starttls: false });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'auto' }), basic, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'auth',
      errorCode: 'EPLAINTEXT_AUTH',
      advice: { id: 'plaintext-auth-refused' },
    });
    expect(peer.commands).not.toContain('AUTH');
  });

  it('security None: a credential saved before None was chosen is not sent in clear text', async () => {
    const peer = await smtp({ starttls: false, allowInsecureAuth: true });
    for (const auth of [
      { ...basic, consent: undefined },
      { ...oauth, consent: { unencrypted: false, untrustedCertificate: true } },
    ]) {
      const r = await sendViaSmtp(target(peer.port), auth, message, { policy: policyFor(peer.port) });
      expect(r).toMatchObject({
        ok: false,
        failedStep: 'auth',
        errorCode: 'EPLAINTEXT_AUTH',
        advice: { id: 'plaintext-auth-not-reentered' },
      });
      expect(r.steps.find((s) => s.name === 'auth')?.detail).toMatch(
        /"None — unencrypted", but the (password|access token) was saved before that was chosen/,
      );
    }
    expect(peer.commands).not.toContain('AUTH');
    expect(peer.messages).toHaveLength(0);
  });

  it('allow self-signed: a credential saved before it was ticked is not sent to an untrusted certificate', async () => {
    const peer = await smtp({ authOptional: true });
    const tls = target(peer.port, { securityMode: 'starttls', allowSelfSigned: true });
    const r = await sendViaSmtp(tls, { ...basic, consent: { unencrypted: true, untrustedCertificate: false } }, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'auth',
      errorCode: 'EUNTRUSTED_AUTH',
      advice: { id: 'untrusted-auth-not-reentered' },
    });
    expect(status(r)).toMatchObject({ tls: 'ok', ehlo: 'ok', auth: 'failed' });
    expect(peer.commands).not.toContain('AUTH');
    // Without a credential there is nothing to protect: the same connection sends.
    const relay = await sendViaSmtp(tls, { type: 'none' }, message, { policy: policyFor(peer.port) });
    expect(relay.ok).toBe(true);
  });

  it('implicit TLS against a plain-text port: "wrong version number" advice', async () => {
    const peer = await smtp({ starttls: false });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'tls' }), basic, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'tls',
      errorCode: 'ETLS_WRONG_VERSION',
      advice: { id: 'tls-on-plain-port' },
    });
    expect(r.advice?.detail).toMatch(/587/);
  });

  it('STARTTLS against an implicit-TLS port: no greeting', async () => {
    const peer = await smtp({ secure: true });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls', timeouts: { greetingMs: 800 } }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'ENOGREETING', advice: { id: 'no-greeting' } });
    expect(r.advice?.detail).toMatch(/TLS/);
  });
});

describe('sendViaSmtp: authentication and envelope failures', () => {
  it('wrong password: 535 5.7.3 maps to the Microsoft 365 advice', async () => {
    const peer = await smtp({ authFailure: { code: 535, text: '5.7.3 Authentication unsuccessful' } });
    const r = await sendViaSmtp(
      target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }),
      { ...basic, pass: 'wrong-password-123' },
      message,
      { policy: policyFor(peer.port) },
    );
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'auth',
      errorCode: 'EAUTH',
      reply: { code: 535, enhanced: '5.7.3' },
      advice: { id: 'ms-535-5.7.3-basic' },
    });
    expect(status(r)).toMatchObject({ auth: 'failed', mail_from: 'skipped', accepted: 'skipped' });
    expect(JSON.stringify(r)).not.toContain('wrong-password-123');
  });

  it('rejected XOAUTH2 token: auth fails with the server reply, token hidden', async () => {
    const peer = await smtp({ tokens: { [USER]: 'another-token-entirely' } });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }), oauth, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'auth', reply: { code: 535 }, advice: { id: 'auth-failed-oauth' } });
    expect(r.transcript.filter((l) => l.startsWith('C: AUTH'))).toEqual(['C: AUTH XOAUTH2 ****']);
    expectNoSecrets(r);
  });

  it('the mechanism is not offered', async () => {
    const peer = await smtp({ authMethods: ['XOAUTH2'] });
    const r = await sendViaSmtp(target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'auth', errorCode: 'ENOMECH', advice: { id: 'mechanism-not-offered' } });
    expect(peer.commands).not.toContain('AUTH');
  });

  it('530 when the server requires authentication and none is configured', async () => {
    const peer = await smtp({});
    const r = await sendViaSmtp(
      target(peer.port, { securityMode: 'starttls', allowSelfSigned: true }),
      { type: 'none' },
      message,
      { policy: policyFor(peer.port) },
    );
    expect(r).toMatchObject({ ok: false, failedStep: 'mail_from', reply: { code: 530 }, advice: { id: 'auth-required' } });
  });

  it('550 on RCPT TO', async () => {
    const peer = await smtp({ authOptional: true, rcptReply: { code: 550, text: '5.1.1 User unknown' } });
    const r = await sendViaSmtp(target(peer.port), { type: 'none' }, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'rcpt_to',
      reply: { code: 550, enhanced: '5.1.1' },
      advice: { id: 'recipient-rejected' },
    });
    expect(status(r)).toMatchObject({ mail_from: 'ok', rcpt_to: 'failed', data: 'skipped' });
  });

  it('several To and Cc recipients: one refused, the message delivered to the others, the refusal reported', async () => {
    const peer = await smtp({ authOptional: true, unknownRecipients: ['gone@example.org'] });
    const several: OutgoingMessage = { ...message, to: ['admin@example.org', 'gone@example.org'], cc: ['audit@example.org'] };
    const r = await sendViaSmtp(target(peer.port), { type: 'none' }, several, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({ ok: true, rejected: [{ address: 'gone@example.org', reply: '550 5.1.1 User unknown' }] });
    expect(r.steps.find((s) => s.name === 'rcpt_to')?.detail).toBe(
      'Recipients <admin@example.org>, <audit@example.org> accepted; refused: <gone@example.org> (550 5.1.1 User unknown).',
    );
    expect(r.steps.find((s) => s.name === 'accepted')?.detail).toMatch(/^Accepted for delivery for 2 of 3 recipients, queue id/);
    expect(peer.messages).toHaveLength(1);
    expect(peer.messages[0].to).toEqual(['admin@example.org', 'audit@example.org']);
    expect(peer.messages[0].headers.to).toBe('admin@example.org, gone@example.org');
    expect(peer.messages[0].headers.cc).toBe('audit@example.org');
  });

  it('every recipient refused: fails at RCPT TO, nothing delivered', async () => {
    const peer = await smtp({ authOptional: true, unknownRecipients: ['a@example.org', 'b@example.org'] });
    const r = await sendViaSmtp(
      target(peer.port),
      { type: 'none' },
      { ...message, to: ['a@example.org', 'b@example.org'] },
      { policy: policyFor(peer.port) },
    );
    expect(r).toMatchObject({ ok: false, failedStep: 'rcpt_to', advice: { id: 'recipient-rejected' } });
    expect(peer.messages).toHaveLength(0);
  });

  it('552 after DATA', async () => {
    const peer = await smtp({ authOptional: true, dataReply: { code: 552, text: '5.3.4 Message size exceeds fixed limit' } });
    const r = await sendViaSmtp(target(peer.port), { type: 'none' }, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({ ok: false, failedStep: 'data', reply: { code: 552 }, advice: { id: 'message-too-large' } });
    expect(r.messageId).toBeDefined();
  });
});

describe('sendViaSmtp: network failures and timeouts never hang', () => {
  it('a host name that does not resolve (RFC 6761 .invalid)', async () => {
    const r = await sendViaSmtp(target(587, { host: 'no-such-host.invalid', timeouts: { connectMs: 2000 } }), basic, message, {
      policy: policyFor(587),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'resolve', connections: 0 });
    // ENOTFOUND normally; a resolver without upstream answers EAI_AGAIN or times out instead.
    expect(['dns-not-found', 'dns-failed', 'connect-timeout']).toContain(r.advice?.id);
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const r = await sendViaSmtp(target(port), basic, message, { policy: policyFor(port) });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'connect',
      errorCode: 'ECONNREFUSED',
      advice: { id: 'connection-refused' },
      connections: 0,
    });
  });

  it('a server that accepts TCP but never greets', async () => {
    const peer = await raw('silent');
    const r = await sendViaSmtp(target(peer.port, { timeouts: { greetingMs: 800 } }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'connect',
      errorCode: 'ENOGREETING',
      advice: { id: 'no-greeting' },
      connections: 1,
    });
    expect(r.steps.find((s) => s.name === 'connect')?.detail).toMatch(/no greeting arrived within 0\.8 s/);
  });

  it('another service on the port (an SSH banner): "not an SMTP server", and its bytes are not repeated', async () => {
    const peer = await raw('ssh');
    const r = await sendViaSmtp(target(peer.port), basic, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'ENOTSMTP', advice: { id: 'not-smtp' } });
    expect(r.steps.find((s) => s.name === 'connect')?.detail).toMatch(/not an SMTP server/);
    expect(r.reply).toBeUndefined();
    expect(r.transcript.join('\n')).toMatch(/first \d+ bytes are not an SMTP greeting \(not shown\)/);
    expect(JSON.stringify(r)).not.toMatch(/SSH-2\.0|OpenSSH|bastion/);
  });

  it('a server that refuses the session in its greeting (554) is still SMTP: its reply is shown', async () => {
    const peer = await raw('refuse');
    const r = await sendViaSmtp(target(peer.port), basic, message, { policy: policyFor(peer.port) });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', reply: { code: 554 } });
    expect(r.steps.find((s) => s.name === 'connect')?.detail).toContain('Client host blocked');
  });

  it('a server that stops answering after EHLO: fails at AUTH', async () => {
    const peer = await raw('hang-after-ehlo');
    const r = await sendViaSmtp(target(peer.port, { timeouts: { socketMs: 800 } }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'auth', errorCode: 'ESTALLED', advice: { id: 'server-stalled' } });
    expect(r.steps.find((s) => s.name === 'auth')?.detail).toBe(
      'The server stopped answering after 0.8 s (no reply to AUTH PLAIN).',
    );
    expectNoSecrets(r);
  });

  it('a server that stops answering after EHLO: fails at MAIL FROM without auth', async () => {
    const peer = await raw('hang-after-ehlo');
    const r = await sendViaSmtp(target(peer.port, { timeouts: { socketMs: 800 } }), { type: 'none' }, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'mail_from', errorCode: 'ESTALLED' });
    expect(r.steps.find((s) => s.name === 'mail_from')?.detail).toMatch(/no reply to MAIL FROM/);
  });

  it('the overall deadline stops a slow test', async () => {
    const peer = await raw('silent');
    const r = await sendViaSmtp(target(peer.port, { timeouts: { totalMs: 500 } }), basic, message, {
      policy: policyFor(peer.port),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'ETOTAL', advice: { id: 'total-timeout' } });
  });

  it('an AbortSignal cancels the test', async () => {
    const peer = await raw('silent');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await sendViaSmtp(target(peer.port), basic, message, { policy: policyFor(peer.port), signal: controller.signal });
    expect(r).toMatchObject({ ok: false, errorCode: 'ECANCELLED', advice: { id: 'cancelled' } });
  });
});

describe('sendViaSmtp: destination policy and input checks (nothing is connected)', () => {
  it('a port outside allowedPorts', async () => {
    const peer = await smtp({ authOptional: true });
    const r = await sendViaSmtp(target(peer.port), basic, message, {
      policy: { allowedPorts: [25, 465, 587, 2525], allowHosts: [], denyHosts: [] },
    });
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'connect',
      errorCode: 'EPOLICY_PORT',
      advice: { id: 'policy-port' },
      connections: 0,
    });
    expect(r.advice?.detail).toContain('SMTP_ALLOWED_PORTS');
    expect(peer.connections).toBe(0);
  });

  it('a denied CIDR wins over the allow list', async () => {
    const peer = await smtp({ authOptional: true });
    const policy = policyFor(peer.port, { allowHosts: ['127.0.0.1'], denyHosts: ['127.0.0.0/8'] });
    const r = await sendViaSmtp(target(peer.port), basic, message, { policy });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'EPOLICY_DENIED', advice: { id: 'policy-denied' } });
    expect(r.advice?.detail).toContain('SMTP_DENIED_HOSTS');
    expect(peer.connections).toBe(0);
  });

  it('a denied host name, checked after resolving it', async () => {
    const peer = await smtp({ authOptional: true });
    const r = await sendViaSmtp(target(peer.port, { host: 'localhost' }), basic, message, {
      policy: policyFor(peer.port, { denyHosts: ['localhost'] }),
    });
    expect(r).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'EPOLICY_DENIED' });
    expect(status(r).resolve).toBe('ok');
  });

  it('a host outside a non-empty allow list', async () => {
    const peer = await smtp({ authOptional: true });
    const r = await sendViaSmtp(target(peer.port), basic, message, {
      policy: policyFor(peer.port, { allowHosts: ['10.0.0.0/8', 'smtp.office365.com'] }),
    });
    expect(r).toMatchObject({ ok: false, errorCode: 'EPOLICY_NOT_ALLOWED', advice: { id: 'policy-not-allowed' } });
    expect(r.advice?.detail).toContain('SMTP_ALLOWED_HOSTS');
    expect(peer.connections).toBe(0);
  });

  it('CR/LF in a header value is refused before connecting', async () => {
    const peer = await smtp({ authOptional: true });
    const r = await sendViaSmtp(
      target(peer.port),
      basic,
      { ...message, subject: 'Hi\r\nBcc: victim@example.net' },
      { policy: policyFor(peer.port) },
    );
    expect(r).toMatchObject({
      ok: false,
      failedStep: 'data',
      errorCode: 'EHEADER',
      advice: { id: 'invalid-header' },
      connections: 0,
    });
    expect(status(r)).toMatchObject({ resolve: 'skipped', connect: 'skipped', data: 'failed', accepted: 'skipped' });
    expect(peer.connections).toBe(0);
  });

  it('a line break in the display name is refused too', async () => {
    const r = await sendViaSmtp(
      target(2525),
      basic,
      { ...message, from: { address: USER, name: 'Eve\nBcc: x@example.net' } },
      { policy: policyFor(2525) },
    );
    expect(r).toMatchObject({ ok: false, failedStep: 'mail_from', errorCode: 'EHEADER' });
  });
});
