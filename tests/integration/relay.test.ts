/**
 * The SMTP relay with real clients (nodemailer and swaks, bound to 127.0.0.1 or 127.0.0.2) against
 * the real listener, the outbox worker delivering to a local SMTP peer and to the Graph stand-in:
 * who may send, the From policy, the limits, what arrives upstream, and 451 while a store cannot send.
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { waitUntilFinal, type MessageStatus } from '@/lib/outbox/status';
import { createRelayCredential, revokeRelayCredential, saveRelayAccess } from '@/lib/relay/credentials';
import { startRelay, type Relay } from '@/lib/relay/server';
import { relayStatus } from '@/lib/relay/status';
import type { Background } from '@/lib/runtime/background';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import type { GraphTestServer } from '@/tests/support/graph-server';
import { notificationsInput } from '@/tests/support/notification-values';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { connectedGraphStore, startAppOnlyGraph, startTestWorker } from '@/tests/support/outbox';
import { RawSmtp, swaks } from '@/tests/support/relay-clients';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const FROM = 'helpdesk@example.com';
const GRAPH_FROM = 'alerts@contoso.com';
const PASSWORD = 'upstream-password';
const ADMIN = 'ann@example.com';

let peer: Peer;
let oauth: OAuthTestServer;
let graph: GraphTestServer;
let worker: Background;
let relay: Relay;
let graphSide: Awaited<ReturnType<typeof startAppOnlyGraph>>;
let port: number;
let tlsPort: number;
let relayCa: string;

let storeId: string;
let graphStoreId: string;
const creds: Record<string, { username: string; password: string; id: string }> = {};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const settle = (id: string) => waitUntilFinal(id, 20_000, sleep) as Promise<MessageStatus>;
const queuedId = (text: string) => /Queued as (\S+)/.exec(text)?.[1];
const arrived = (subject: string) => peer.messages.filter((m) => m.headers.subject === subject);

function client(o: {
  user?: string;
  pass?: string;
  localAddress?: string;
  method?: 'PLAIN' | 'LOGIN';
  secure?: boolean;
  p?: number;
}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: o.p ?? port,
    secure: o.secure ?? false,
    requireTLS: !o.secure,
    // The relay's own self-signed certificate, as a client that pins it would trust it.
    tls: { ca: relayCa },
    ...(o.user && { auth: { user: o.user, pass: o.pass ?? '' }, authMethod: o.method ?? 'PLAIN' }),
    ...(o.localAddress && { localAddress: o.localAddress }),
  });
}

async function smtpStore(name: string) {
  const store = await createStore({ name, type: 'active_directory' }, ADMIN);
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: FROM },
    auth: { smtpUsername: FROM, smtpPassword: { mode: 'set', value: PASSWORD } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), ADMIN);
  return store.id;
}

beforeAll(async () => {
  peer = await startSmtpPeer({ users: { [FROM]: PASSWORD }, unknownRecipients: ['nobody@example.org'] });
  graphSide = await startAppOnlyGraph('graph-secret');
  ({ oauth, graph } = graphSide);
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  resetEnvCache();
  worker = await startTestWorker();
  relay = await startRelay({
    ports: [
      { port: 0, implicitTls: false },
      { port: 0, implicitTls: true },
    ],
    hostname: 'relay.test',
    dataDir: process.env.DATA_DIR!,
    allowPlainAuth: false,
    maxMessageBytes: 25 * 1024 * 1024,
    authFailures: 3,
  });
  const s = relay.status();
  if (s.state !== 'listening') throw new Error(`relay not listening: ${JSON.stringify(s)}`);
  [port, tlsPort] = s.listeners.map((l) => l.port);
  relayCa = fs.readFileSync(s.certificate!.certFile, 'utf8');

  storeId = await smtpStore('Helpdesk');
  graphStoreId = await connectedGraphStore('Entra', { oauth, graph, from: GRAPH_FROM, secret: 'graph-secret', actor: ADMIN });
  for (const [key, storeFor, input] of [
    ['app', storeId, { username: 'helpdesk-app', sources: [], fromPolicy: 'refuse' }],
    ['printer', storeId, { username: 'printer', sources: ['127.0.0.1/32'], fromPolicy: 'rewrite' }],
    ['graph', graphStoreId, { username: 'entra-app', sources: [], fromPolicy: 'refuse' }],
  ] as const) {
    const c = await createRelayCredential(storeFor, { ...input, sources: [...input.sources] }, ADMIN);
    creds[key] = { username: c.username, password: c.password, id: c.id };
  }
});

afterAll(async () => {
  await relay?.stop(1_000);
  await worker?.stop(5_000);
  await Promise.all([peer?.close(), graphSide?.close()]);
});

describe('listener', () => {
  it('reports where it listens and the certificate fingerprint; a port that is taken is reported, not fatal', async () => {
    const s = relayStatus();
    expect(s.state).toBe('listening');
    if (s.state !== 'listening') return;
    expect(s.listeners).toEqual([
      { port, implicitTls: false, listening: true },
      { port: tlsPort, implicitTls: true, listening: true },
    ]);
    expect(s.certificate).toMatchObject({
      source: 'self-signed',
      fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });

    const second = await startRelay({
      ports: [{ port, implicitTls: false }],
      hostname: 'relay.test',
      dataDir: process.env.DATA_DIR!,
      allowPlainAuth: false,
      maxMessageBytes: 1024,
      authFailures: 3,
    });
    const t = second.status();
    expect(t.state).toBe('failed');
    if (t.state === 'failed') expect(t.listeners[0].error).toMatch(/already in use.*EADDRINUSE/);
    // The same certificate is reused: its fingerprint does not change between starts.
    if (t.state === 'failed') expect(t.certificate?.fingerprint256).toBe(s.certificate?.fingerprint256);
    await second.stop(100);
  });

  it('offers AUTH only after STARTTLS and refuses AUTH before it', async () => {
    const { client: c, greeting } = await RawSmtp.open(port, '127.0.0.2');
    expect(greeting).toMatch(/^220 relay\.test ESMTP Mailroom relay/);
    const ehlo = await c.send('EHLO client.test');
    expect(ehlo).toMatch(/STARTTLS/);
    expect(ehlo).toMatch(/SIZE 26214400/);
    expect(ehlo).toMatch(/8BITMIME/);
    expect(ehlo).toMatch(/SMTPUTF8/);
    expect(ehlo).not.toMatch(/AUTH/);
    expect(
      await c.send(`AUTH PLAIN ${Buffer.from(`\0${creds.app.username}\0${creds.app.password}`).toString('base64')}`),
    ).toMatch(/^538 .*STARTTLS/);
    c.close();

    // After STARTTLS, swaks sees AUTH PLAIN LOGIN offered.
    const r = await swaks({
      port,
      from: FROM,
      to: 'jane@example.org',
      auth: { type: 'LOGIN', ...{ user: creds.app.username, password: creds.app.password } },
      headers: ['Subject: After STARTTLS'],
    });
    expect(r.out).toMatch(/250-AUTH PLAIN LOGIN/);
    expect(r.code).toBe(0);
  });
});

describe('delivery', () => {
  it('nodemailer, STARTTLS + AUTH PLAIN: arrives at the SMTP peer as sent, with a Received header and its Message-ID', async () => {
    const info = await client({ user: creds.app.username, pass: creds.app.password, method: 'PLAIN' }).sendMail({
      from: `"IT Helpdesk" <${FROM}>`,
      to: 'jane@example.org',
      bcc: 'audit@example.org',
      subject: 'Through the relay',
      text: 'Your password expires in 3 days.',
      messageId: '<fixed-1@example.com>',
      headers: { 'X-Ticket': 'INC-4711' },
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Queued as /);
    const s = await settle(queuedId(info.response)!);
    expect(s.state).toBe('sent');
    expect(s.kind).toBe('relay');
    const [m] = arrived('Through the relay');
    expect(m.from).toBe(FROM);
    expect(m.to.sort()).toEqual(['audit@example.org', 'jane@example.org']);
    expect(m.headers['message-id']).toBe('<fixed-1@example.com>');
    expect(m.headers['x-ticket']).toBe('INC-4711');
    expect(m.headers.received).toMatch(/from client|by relay\.test \(Mailroom relay\) with ESMTPSA/);
    expect(m.raw).not.toMatch(/^bcc:/im);
    expect(m.body.trim()).toBe('Your password expires in 3 days.');

    const log = await db.deliveryLog.findFirstOrThrow({ where: { outboxId: s.id } });
    expect(log).toMatchObject({
      kind: 'relay',
      ok: true,
      clientAddress: '127.0.0.1',
      actorEmail: 'relay user “helpdesk-app”',
      subject: 'Through the relay',
    });
    const cred = await db.relayCredential.findUniqueOrThrow({ where: { id: creds.app.id } });
    expect(cred.lastUsedFrom).toBe('127.0.0.1');
    expect(cred.lastUsedAt).not.toBeNull();
  });

  it('swaks, STARTTLS + AUTH LOGIN: arrives at the Graph stand-in as MIME, Bcc kept out of the headers', async () => {
    const r = await swaks({
      port,
      from: GRAPH_FROM,
      to: ['jane@contoso.com', 'hidden@contoso.com'],
      auth: { type: 'LOGIN', user: creds.graph.username, password: creds.graph.password },
      headers: ['Subject: Via Graph', `From: ${GRAPH_FROM}`, 'To: jane@contoso.com'],
      body: 'Sent as MIME.',
    });
    expect(r.code).toBe(0);
    const s = await settle(queuedId(r.out)!);
    expect(s.state).toBe('sent');
    expect(s.transport).toBe('graph');
    const got = graph.messages.find((g) => g.message.subject === 'Via Graph');
    expect(got?.mime).toMatch(/Sent as MIME\./);
    expect(got?.mime).toMatch(/^Received: from client\.test/);
    expect(got?.bcc).toEqual(['hidden@contoso.com']);
    expect(got?.message.toRecipients.map((t) => t.emailAddress.address).sort()).toEqual([
      'hidden@contoso.com',
      'jane@contoso.com',
    ]);
  });

  it('a message larger than Microsoft Graph takes is refused 552 at once for a Graph store', async () => {
    await expect(
      client({ user: creds.graph.username, pass: creds.graph.password }).sendMail({
        from: GRAPH_FROM,
        to: 'jane@contoso.com',
        subject: 'Too big for Graph',
        text: `${'y'.repeat(76)}\r\n`.repeat(45_000),
      }),
    ).rejects.toMatchObject({ responseCode: 552, message: expect.stringMatching(/Message too big for Microsoft Graph/) });
    expect(await db.outboxMessage.count({ where: { subject: 'Too big for Graph' } })).toBe(0);
  });

  it('implicit TLS on the second port works the same', async () => {
    const info = await client({ user: creds.app.username, pass: creds.app.password, secure: true, p: tlsPort }).sendMail({
      from: FROM,
      to: 'jane@example.org',
      subject: 'Implicit TLS',
      text: 'x',
    });
    expect((await settle(queuedId(info.response)!)).state).toBe('sent');
    expect(arrived('Implicit TLS')).toHaveLength(1);
  });

  it('a UTF-8 subject and body (8BITMIME, SMTPUTF8) arrive byte for byte', async () => {
    const subject = 'Passwort läuft ab — 3 Tage ✓';
    const body = 'Grüße aus Köln: ½ € ✓ 日本語';
    const r = await swaks({
      port,
      from: FROM,
      to: 'jörg@example.org',
      auth: { type: 'PLAIN', user: creds.app.username, password: creds.app.password },
      headers: [`Subject: ${subject}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
      body,
    });
    expect(r.code).toBe(0);
    const s = await settle(queuedId(r.out)!);
    expect(s.state).toBe('sent');
    expect(s.subject).toBe(subject);
    const [m] = arrived(subject);
    expect(m.to).toEqual(['jörg@example.org']);
    expect(m.body).toContain(body);
  });

  it('100 recipients are accepted, the 101st is refused; a recipient the server refuses is reported', async () => {
    const to = Array.from({ length: 100 }, (_, i) => `user${i}@example.org`);
    const info = await client({ user: creds.app.username, pass: creds.app.password }).sendMail({
      from: FROM,
      to: [...to.slice(0, 99), 'nobody@example.org', 'one-too-many@example.org'],
      subject: 'Hundred',
      text: 'x',
    });
    expect(info.accepted).toHaveLength(100);
    expect(info.rejected).toEqual(['one-too-many@example.org']);
    expect(JSON.stringify((info as { rejectedErrors?: unknown }).rejectedErrors)).toMatch(/452 4\.5\.3 Too many recipients/);
    const s = await settle(queuedId(info.response)!);
    expect(s.state).toBe('sent');
    expect(arrived('Hundred')[0].to).toHaveLength(99);
    expect(s.rejected).toEqual([{ address: 'nobody@example.org', reply: expect.stringMatching(/550 5\.1\.1/) }]);
    const log = await db.deliveryLog.findFirstOrThrow({ where: { outboxId: s.id } });
    expect(JSON.parse(log.rejected)).toEqual([{ address: 'nobody@example.org', reply: expect.stringMatching(/550/) }]);
  });
});

describe('who may send', () => {
  it('a wrong password is refused with 535; after 3 failures from one address, its connections are refused 421 (other addresses still work)', async () => {
    const bad = () => client({ user: creds.app.username, pass: 'wrong', localAddress: '127.0.0.5' });
    for (let i = 0; i < 3; i++)
      await expect(bad().sendMail({ from: FROM, to: 'x@example.org', subject: 'no', text: 'no' })).rejects.toMatchObject({
        responseCode: 535,
      });
    // Even the right password is refused now, from that address only.
    await expect(
      client({ user: creds.app.username, pass: creds.app.password, localAddress: '127.0.0.5' }).sendMail({
        from: FROM,
        to: 'x@example.org',
        subject: 'locked',
        text: 'x',
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/421 4\.7\.0 Too many failed logins from 127\.0\.0\.5/) });
    const elsewhere = await client({ user: creds.app.username, pass: creds.app.password, localAddress: '127.0.0.6' }).sendMail({
      from: FROM,
      to: 'x@example.org',
      subject: 'Other address',
      text: 'x',
    });
    expect(elsewhere.response).toMatch(/^250/);
  });

  it('unauthenticated relay: accepted from a listed address, 530 from an unlisted one', async () => {
    await saveRelayAccess(storeId, { openSources: ['127.0.0.1'], fromPolicy: 'refuse' }, ADMIN);
    const listed = await swaks({
      port,
      from: FROM,
      to: 'jane@example.org',
      tls: false,
      localAddress: '127.0.0.1',
      headers: ['Subject: Open relay'],
    });
    expect(listed.code).toBe(0);
    const s = await settle(queuedId(listed.out)!);
    expect(s.state).toBe('sent');
    expect(await db.deliveryLog.findFirstOrThrow({ where: { outboxId: s.id } })).toMatchObject({
      actorEmail: 'unauthenticated relay from 127.0.0.1',
      clientAddress: '127.0.0.1',
    });

    const unlisted = await swaks({
      port,
      from: FROM,
      to: 'jane@example.org',
      tls: false,
      localAddress: '127.0.0.2',
      headers: ['Subject: Not listed'],
    });
    expect(unlisted.code).not.toBe(0);
    expect(unlisted.out).toMatch(/530 5\.7\.0 Authentication required.*127\.0\.0\.2/);
    expect(arrived('Not listed')).toHaveLength(0);
    await saveRelayAccess(storeId, { openSources: [], fromPolicy: 'refuse' }, ADMIN);
  });

  it('an address may open the relay for one store only', async () => {
    await saveRelayAccess(storeId, { openSources: ['10.1.0.0/16'], fromPolicy: 'refuse' }, ADMIN);
    await expect(saveRelayAccess(graphStoreId, { openSources: ['10.1.2.3'], fromPolicy: 'refuse' }, ADMIN)).rejects.toThrow(
      /10\.1\.2\.3 overlaps an address the store “Helpdesk” already allows/,
    );
    await saveRelayAccess(storeId, { openSources: [], fromPolicy: 'refuse' }, ADMIN);
  });

  it('a credential limited to 127.0.0.1 works from there and is refused from 127.0.0.2', async () => {
    const from2 = await swaks({
      port,
      from: FROM,
      to: 'jane@example.org',
      localAddress: '127.0.0.2',
      auth: { type: 'PLAIN', user: creds.printer.username, password: creds.printer.password },
    });
    expect(from2.code).not.toBe(0);
    expect(from2.out).toMatch(/535 5\.7\.8 The relay credential “printer” may not be used from 127\.0\.0\.2/);
    const from1 = await client({
      user: creds.printer.username,
      pass: creds.printer.password,
      localAddress: '127.0.0.1',
    }).sendMail({
      from: FROM,
      to: 'jane@example.org',
      subject: 'From the printer',
      text: 'scan attached',
    });
    expect((await settle(queuedId(from1.response)!)).state).toBe('sent');
  });

  it('a revoked credential is refused with 535', async () => {
    const c = await createRelayCredential(storeId, { username: 'short-lived', sources: [], fromPolicy: 'refuse' }, ADMIN);
    await revokeRelayCredential(storeId, c.id);
    await expect(
      client({ user: c.username, pass: c.password, localAddress: '127.0.0.7' }).sendMail({
        from: FROM,
        to: 'x@example.org',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
  });
});

describe('From policy', () => {
  it('refuse: another envelope sender gets 550 5.7.1 with the reason; another From header too; nothing is queued', async () => {
    const before = await db.outboxMessage.count({ where: { storeId } });
    const envelope = await swaks({
      port,
      from: 'someone@else.example',
      to: 'jane@example.org',
      auth: { type: 'PLAIN', user: creds.app.username, password: creds.app.password },
    });
    expect(envelope.out).toMatch(
      /550 5\.7\.1 Sender <someone@else\.example> is not allowed: the relay sends only as helpdesk@example\.com/,
    );

    const header = await swaks({
      port,
      from: FROM,
      to: 'jane@example.org',
      auth: { type: 'PLAIN', user: creds.app.username, password: creds.app.password },
      headers: ['From: "Boss" <boss@else.example>', 'Subject: Spoofed'],
    });
    expect(header.out).toMatch(/550 5\.7\.1 The From header \("Boss" <boss@else\.example>\) is not this store's sender/);
    expect(await db.outboxMessage.count({ where: { storeId } })).toBe(before);
  });

  it('rewrite: the store’s address goes out as From, the original in Reply-To', async () => {
    const info = await client({ user: creds.printer.username, pass: creds.printer.password }).sendMail({
      envelope: { from: 'scanner@printers.local', to: ['jane@example.org'] },
      from: '"Scanner 3rd floor" <scanner@printers.local>',
      to: 'jane@example.org',
      subject: 'Rewritten',
      text: 'scan',
    });
    expect((await settle(queuedId(info.response)!)).state).toBe('sent');
    const [m] = arrived('Rewritten');
    expect(m.from).toBe(FROM);
    expect(m.headers.from).toBe(`"IT Helpdesk" <${FROM}>`);
    expect(m.headers['reply-to']).toMatch(/^"?Scanner 3rd floor"? <scanner@printers\.local>$/);
  });
});

describe('accepting means durable', () => {
  it('over SIZE: a declared size past 25 MB is refused 552 at MAIL FROM, a longer message 552 at the end of DATA; nothing is queued', async () => {
    const before = await db.outboxMessage.count({ where: { storeId } });
    await saveRelayAccess(storeId, { openSources: ['127.0.0.4'], fromPolicy: 'refuse' }, ADMIN);
    const { client: c } = await RawSmtp.open(port, '127.0.0.4');
    await c.send('EHLO client.test');
    expect(await c.send(`MAIL FROM:<${FROM}> SIZE=${25 * 1024 * 1024 + 1}`)).toMatch(/^552 /);
    c.close();

    // The same limit on a message that did not declare its size (a small limit, so the test sends little).
    const small = await startRelay({
      ports: [{ port: 0, implicitTls: false }],
      hostname: 'relay.test',
      dataDir: process.env.DATA_DIR!,
      allowPlainAuth: false,
      maxMessageBytes: 64 * 1024,
      authFailures: 3,
    });
    const s = small.status();
    const smallPort = s.state === 'listening' ? s.listeners[0].port : 0;
    const r = await swaks({
      port: smallPort,
      from: FROM,
      to: 'jane@example.org',
      auth: { type: 'PLAIN', user: creds.app.username, password: creds.app.password },
      headers: ['Subject: Too big'],
      body: 'x'.repeat(70 * 1024),
    });
    await small.stop(100);
    expect(r.out).toMatch(/<~?\* 552 5\.3\.4 Message too big: the limit is 65536 bytes/);
    expect(await db.outboxMessage.count({ where: { storeId } })).toBe(before);
    await saveRelayAccess(storeId, { openSources: [], fromPolicy: 'refuse' }, ADMIN);
  });

  it('a client that disconnects during DATA leaves nothing queued', async () => {
    await saveRelayAccess(storeId, { openSources: ['127.0.0.3'], fromPolicy: 'refuse' }, ADMIN);
    const before = await db.outboxMessage.count({ where: { storeId } });
    const { client: c } = await RawSmtp.open(port, '127.0.0.3');
    await c.send('EHLO client.test');
    expect(await c.send(`MAIL FROM:<${FROM}>`)).toMatch(/^250/);
    expect(await c.send('RCPT TO:<jane@example.org>')).toMatch(/^250/);
    expect(await c.send('DATA')).toMatch(/^354/);
    c.write(`From: ${FROM}\r\nSubject: Cut off\r\n\r\nHalf a mess`);
    await sleep(200);
    c.close();
    await sleep(500);
    expect(await db.outboxMessage.count({ where: { storeId } })).toBe(before);
    await saveRelayAccess(storeId, { openSources: [], fromPolicy: 'refuse' }, ADMIN);
  });

  it('a store that needs reconnecting gets 451 4.3.0 with the reason; after the reconnect the message goes through', async () => {
    await db.notificationProfile.update({ where: { storeId: graphStoreId }, data: { oauthStatus: 'needs_reconnect' } });
    const send = () =>
      client({ user: creds.graph.username, pass: creds.graph.password }).sendMail({
        from: GRAPH_FROM,
        to: 'jane@contoso.com',
        subject: 'Kept by the client',
        text: 'x',
      });
    await expect(send()).rejects.toMatchObject({
      responseCode: 451,
      message: expect.stringMatching(/451 4\.3\.0 The OAuth connection needs reconnecting/),
    });
    expect(await db.outboxMessage.count({ where: { storeId: graphStoreId, subject: 'Kept by the client' } })).toBe(0);

    await db.notificationProfile.update({ where: { storeId: graphStoreId }, data: { oauthStatus: 'connected' } });
    const info = await send();
    expect((await settle(queuedId(info.response)!)).state).toBe('sent');
    expect(graph.messages.filter((g) => g.message.subject === 'Kept by the client')).toHaveLength(1);
  });

  it('a store that is not set up gets 451 4.3.0 "not set up"', async () => {
    const bare = await createStore({ name: 'Bare', type: 'ldap' }, ADMIN);
    const c = await createRelayCredential(bare.id, { username: 'bare-app', sources: [], fromPolicy: 'refuse' }, ADMIN);
    await expect(
      client({ user: c.username, pass: c.password }).sendMail({ from: FROM, to: 'x@example.org', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 451, message: expect.stringMatching(/4\.3\.0 The store is not set up/) });
  });

  it('on stop, an idle client is answered 421 and the listener closes', async () => {
    const { client: c } = await RawSmtp.open(port, '127.0.0.1');
    await c.send('EHLO client.test');
    await relay.stop(1_000);
    expect(await c.reply()).toMatch(/^421 4\.3\.2 Mailroom is stopping/);
    expect(relayStatus().state).toBe('stopped');
    expect((await RawSmtp.open(port)).greeting).toBe('');
  });
});
