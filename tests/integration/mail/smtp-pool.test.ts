/**
 * The outbox's pooled SMTP connections against real SMTP peers on 127.0.0.1: the pool opens its
 * own sockets (to the address the policy checked), and nodemailer does STARTTLS or implicit TLS on
 * them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateMessage } from '@/lib/mail/message';
import { SmtpPool, type PoolMessage } from '@/lib/mail/smtp-pool';
import type { DestinationPolicy, SmtpAuth, SmtpTarget } from '@/lib/mail/types';
import { closedPort, startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const USER = 'helpdesk@example.com';
const PASS = 'pool password 123';
const auth: SmtpAuth = { type: 'basic', user: USER, pass: PASS, consent: { unencrypted: false, untrustedCertificate: true } };
const policy = (port: number): DestinationPolicy => ({ allowedPorts: [port], allowHosts: [], denyHosts: [] });
const target = (port: number, t: Partial<SmtpTarget>): SmtpTarget => ({
  host: '127.0.0.1',
  port,
  securityMode: 'starttls',
  allowSelfSigned: true,
  ...t,
});
const message = (i: number): PoolMessage => ({
  messageId: `<pool-${i}-${Date.now()}@example.com>`,
  fields: validateMessage({ from: { address: USER }, to: ['user@example.org'], subject: `Pooled ${i}`, text: 'Hello' }),
});

const open: { peer?: Peer; pool?: SmtpPool }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.pool?.close();
    await o.peer?.close();
  }
});

describe('SmtpPool', () => {
  it.each([
    ['STARTTLS', { securityMode: 'starttls' } as const, {}],
    ['implicit TLS', { securityMode: 'tls' } as const, { secure: true }],
  ])('sends several messages over %s on one authenticated connection', async (_name, t, peerOptions) => {
    const peer = await startSmtpPeer({ users: { [USER]: PASS }, ...peerOptions });
    const pool = await SmtpPool.open({ target: target(peer.port, t), auth, policy: policy(peer.port), maxConnections: 1 });
    open.push({ peer, pool });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await pool.send(message(i)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(peer.messages.map((m) => [m.user, m.headers.subject])).toEqual([
      [USER, 'Pooled 0'],
      [USER, 'Pooled 1'],
      [USER, 'Pooled 2'],
    ]);
    expect(peer.connections).toBe(1);
    if (t.securityMode === 'starttls') expect(peer.commands.filter((c) => c === 'STARTTLS')).toHaveLength(1);
  });

  it('reports a refused connection at the connect step, with the address it tried', async () => {
    const port = await closedPort();
    const pool = await SmtpPool.open({ target: target(port, {}), auth, policy: policy(port), maxConnections: 1 });
    open.push({ pool });
    const r = await pool.send(message(0));
    expect(r).toMatchObject({
      ok: false,
      step: 'connect',
      errorCode: 'ECONNREFUSED',
      detail: `Connection to 127.0.0.1:${port} refused (ECONNREFUSED).`,
    });
  });
});
