import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { NotReadyError, RateLimitedError } from '@/lib/errors';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { testStore } from '@/lib/notifications/test-server';
import { createStore } from '@/lib/stores/service';
import { createUser } from '@/lib/users/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';
import { decodeWords, textBody } from '@/tests/support/mime';
import { startRawPeer, startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const PASSWORD = 'correct-horse-battery-staple';
let ann: { id: string; email: string };
let bob: { id: string; email: string };
let peer: Peer;

beforeAll(async () => {
  ann = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'ann password 123', role: 'admin' });
  bob = await createUser({ email: 'bob@example.com', name: 'Bob', password: 'bob password 123', role: 'admin' });
  peer = await startSmtpPeer({
    users: { 'helpdesk@example.com': PASSWORD },
    authFailure: { code: 535, text: '5.7.3 Authentication unsuccessful' },
  });
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  resetEnvCache();
});
afterAll(() => peer?.close());

async function storeWith(name: string, patch: Parameters<typeof notificationsInput>[0]) {
  const store = await createStore({ name, type: 'active_directory' }, ann.email);
  const values = notificationsInput({
    ...patch,
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, ...patch?.smtp },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), ann.email);
  return store;
}

describe('Test Server through a saved profile', () => {
  it('delivers through STARTTLS + Basic auth, with a useful message, and logs it', async () => {
    const store = await storeWith('Contoso', { auth: { smtpPassword: { mode: 'set', value: PASSWORD } } });
    const steps: string[] = [];
    const result = await testStore(store.id, 'Admin@Example.com', ann, { onStep: (s) => steps.push(`${s.name}:${s.status}`) });

    expect(result.ok).toBe(true);
    expect(steps).toEqual([
      'resolve:ok',
      'connect:ok',
      'tls:ok',
      'ehlo:ok',
      'auth:ok',
      'mail_from:ok',
      'rcpt_to:ok',
      'data:ok',
      'accepted:ok',
    ]);
    expect(result.queueId).toBe('Q1A2B3C4');
    expect(result.connections).toBe(1);

    const mail = peer.messages.at(-1)!;
    expect(mail.user).toBe('helpdesk@example.com');
    // The domain is normalised; the local part is kept as typed (it may be case-sensitive).
    expect(mail.to).toEqual(['Admin@example.com']);
    expect(decodeWords(mail.headers.subject)).toBe('Mailroom test — Contoso');
    expect(mail.headers.from).toBe('IT Helpdesk <helpdesk@example.com>');
    expect(mail.headers['message-id']).toMatch(/^<.+@example\.com>$/);
    expect(Date.parse(mail.headers.date)).not.toBeNaN();
    const body = textBody(mail);
    expect(body).toContain(`SMTP server:     127.0.0.1:${peer.port}`);
    expect(body).toContain('Authentication:  Basic as helpdesk@example.com');
    expect(body).toContain('Profile:         Contoso — Notifications');

    const log = await db.deliveryLog.findFirstOrThrow({ where: { storeId: store.id } });
    expect(log).toMatchObject({
      ok: true,
      recipient: 'Admin@example.com',
      queueId: 'Q1A2B3C4',
      actorEmail: ann.email,
      failedStep: '',
    });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'notifications.test' } });
    expect(JSON.parse(audit.details)).toMatchObject({ recipient: 'Admin@example.com', result: 'delivered' });
  });

  it('a wrong password fails at AUTH with the 535 advice, and the password is nowhere in the outcome', async () => {
    const wrong = 'wrong-password-0000';
    const store = await storeWith('Tailspin', { auth: { smtpPassword: { mode: 'set', value: wrong } } });
    const result = await testStore(store.id, 'admin@example.com', ann);
    expect(result.ok).toBe(false);
    expect(result.failedStep).toBe('auth');
    expect(result.reply).toMatchObject({ code: 535, enhanced: '5.7.3' });
    expect(result.advice?.id).toBe('ms-535-5.7.3-basic');
    expect(result.transcript.some((l) => /AUTH (PLAIN|LOGIN) \*\*\*\*/.test(l))).toBe(true);

    const everything = JSON.stringify([result, await db.deliveryLog.findMany(), await db.auditEvent.findMany()]);
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`\0helpdesk@example.com\0${wrong}`).toString('base64'));
    expect(await db.deliveryLog.findFirstOrThrow({ where: { storeId: store.id } })).toMatchObject({
      ok: false,
      failedStep: 'auth',
      replyCode: 535,
    });
  });

  it('an OAuth profile that is not connected says so at the token step, before connecting', async () => {
    const store = await storeWith('Northwind', {
      auth: {
        authType: 'oauth2',
        oauth: {
          provider: 'generic',
          clientId: 'mailroom',
          tokenEndpoint: 'https://id.example/token',
          authorizationEndpoint: 'https://id.example/auth',
          scope: 'smtp',
          loginUser: 'helpdesk@example.com',
        },
      },
    });
    const result = await testStore(store.id, 'admin@example.com', ann);
    expect(result).toMatchObject({ ok: false, failedStep: 'token', advice: { id: 'oauth-not-connected' }, connections: 0 });
  });

  it('a connected OAuth profile without an SMTP login user is refused at that field, before any connection', async () => {
    const store = await storeWith('Woodgrove', {
      auth: {
        authType: 'oauth2',
        oauth: {
          provider: 'generic',
          clientId: 'mailroom',
          tokenEndpoint: 'https://id.example/token',
          authorizationEndpoint: 'https://id.example/auth',
          scope: 'smtp',
          loginUser: '',
        },
      },
    });
    // Connected by a provider that named no account (ID token with only `sub`, no userinfo endpoint).
    await db.notificationProfile.update({
      where: { storeId: store.id },
      data: { oauthStatus: 'connected', oauthConnectedAt: new Date(), oauthAccount: '' },
    });
    const before = peer.connections;
    const refused = await testStore(store.id, 'admin@example.com', ann).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(NotReadyError);
    expect(refused).toMatchObject({
      field: 'auth.oauth.loginUser',
      message: expect.stringMatching(/^The SMTP login user is empty/),
    });
    expect(peer.connections).toBe(before);
  });

  it('refuses a port outside SMTP_ALLOWED_PORTS without connecting', async () => {
    const store = await storeWith('Policy', { smtp: { port: 2526 }, auth: { useAuth: false } });
    const before = peer.connections;
    const result = await testStore(store.id, 'admin@example.com', ann);
    expect(result).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'EPOLICY_PORT', connections: 0 });
    expect(result.advice?.detail).toContain('SMTP_ALLOWED_PORTS');
    expect(peer.connections).toBe(before);
  });

  it('an SSH server on the port is "not an SMTP server" in the result, the delivery log and the activity log, never its banner', async () => {
    const ssh = await startRawPeer('ssh');
    process.env.SMTP_ALLOWED_PORTS = `587,${peer.port},${ssh.port}`;
    resetEnvCache();
    try {
      const store = await storeWith('Bastion', { smtp: { port: ssh.port }, auth: { useAuth: false } });
      const result = await testStore(store.id, 'admin@example.com', ann);
      expect(result).toMatchObject({ ok: false, failedStep: 'connect', errorCode: 'ENOTSMTP' });
      const log = await db.deliveryLog.findFirstOrThrow({ where: { storeId: store.id } });
      expect(log).toMatchObject({ ok: false, failedStep: 'connect', replyCode: null, replyText: '', adviceId: 'not-smtp' });
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'notifications.test', target: 'Bastion' } });
      for (const stored of [JSON.stringify(result), JSON.stringify(log), audit.details])
        expect(stored).not.toMatch(/SSH-2\.0|OpenSSH/);
    } finally {
      await ssh.close();
    }
  });

  it('rejects a bad recipient and limits each admin to 10 tests a minute', async () => {
    const store = await storeWith('Limits', { auth: { useAuth: false }, smtp: { securityMode: 'none', allowSelfSigned: false } });
    await expect(testStore(store.id, 'bob@', ann)).rejects.toThrow('"bob@" is not a valid email address.');
    for (let i = 0; i < 10; i++) await testStore(store.id, 'admin@example.com', bob).catch(() => undefined);
    await expect(testStore(store.id, 'admin@example.com', bob)).rejects.toThrow(RateLimitedError);
    await expect(testStore(store.id, 'admin@example.com', bob)).rejects.toThrow(/Wait \d+ seconds/);
  });
});
