/**
 * Stored credentials and the destination they were entered for (docs/security.md#secrets-bound-to-destination,
 * #no-credentials-in-clear-text): saves through the Notifications service, sends through Test Server
 * to a real SMTP peer whose certificate is not trusted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { testStore } from '@/lib/notifications/test-server';
import { createStore } from '@/lib/stores/service';
import { createUser } from '@/lib/users/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { MS_CLIENT, notificationsInput } from '@/tests/support/notification-values';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const USER = 'helpdesk@example.com';
const PASSWORD = 'correct-horse-battery-staple';
const set = (value: string) => ({ mode: 'set' as const, value });

let admin: { id: string; email: string };
let peer: Peer;

beforeAll(async () => {
  admin = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'ann password 123', role: 'admin' });
  // Offers STARTTLS with a self-signed certificate, and also takes AUTH in clear text (a lab relay).
  peer = await startSmtpPeer({ users: { [USER]: PASSWORD }, allowInsecureAuth: true });
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  resetEnvCache();
});
afterAll(() => peer?.close());

const profileOf = (storeId: string) => db.notificationProfile.findUniqueOrThrow({ where: { storeId } });

async function save(storeId: string, patch: Parameters<typeof notificationsInput>[0]) {
  const { version } = await profileOf(storeId);
  const smtp = { host: '127.0.0.1', port: peer.port, securityMode: 'starttls' as const, ...patch?.smtp };
  return saveNotificationSettings(
    storeId,
    notificationsSchema.parse(notificationsInput({ ...patch, smtp, version })),
    admin.email,
  );
}

/** Test Server, and whether the peer saw an AUTH command during it. */
async function test(storeId: string) {
  const before = peer.commands.length;
  const result = await testStore(storeId, 'admin@example.org', admin);
  return { result, authSent: peer.commands.slice(before).includes('AUTH') };
}

describe('a stored password and its destination', () => {
  it('moving to implicit TLS or another STARTTLS setting keeps the password (Mailroom advises it)', async () => {
    const store = await createStore({ name: 'To TLS', type: 'active_directory' }, admin.email);
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    const before = await profileOf(store.id);
    const out = await save(store.id, { smtp: { securityMode: 'tls' } });
    expect(out.secrets).toEqual({});
    expect(out.notices).toEqual([]);
    expect((await profileOf(store.id)).smtpPasswordEnc).toBe(before.smtpPasswordEnc);
  });

  it('a changed port clears it, as a changed host does', async () => {
    const store = await createStore({ name: 'Port', type: 'active_directory' }, admin.email);
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    const out = await save(store.id, { smtp: { port: 2525 } });
    expect(out.secrets).toEqual({ smtpPassword: 'cleared_destination_changed' });
    expect(out.notices[0]).toContain('SMTP password was cleared because the port changed');
  });

  it('security switched to "None": the password is kept but not sent in clear text until entered again', async () => {
    const store = await createStore({ name: 'To None', type: 'active_directory' }, admin.email);
    await save(store.id, { smtp: { allowSelfSigned: true }, auth: { smtpPassword: set(PASSWORD) } });
    expect((await test(store.id)).result.ok).toBe(true);

    const out = await save(store.id, { smtp: { securityMode: 'none', allowSelfSigned: true } });
    expect(out.secrets).toEqual({});
    expect(out.notices).toEqual([
      'The saved SMTP password will not be sent now that security is set to "None": enter it again to send it anyway.',
    ]);
    const refused = await test(store.id);
    expect(refused.result).toMatchObject({ ok: false, failedStep: 'auth', errorCode: 'EPLAINTEXT_AUTH' });
    expect(refused.authSent).toBe(false);

    await save(store.id, { smtp: { securityMode: 'none', allowSelfSigned: true }, auth: { smtpPassword: set(PASSWORD) } });
    const sent = await test(store.id);
    expect(sent.result.ok).toBe(true);
    expect(sent.authSent).toBe(true);
  });

  it('"allow self-signed" ticked later: the password is not sent to the untrusted certificate until entered again', async () => {
    const store = await createStore({ name: 'Self-signed', type: 'active_directory' }, admin.email);
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    expect((await test(store.id)).result).toMatchObject({ ok: false, failedStep: 'tls', errorCode: 'ECERT_UNTRUSTED' });

    const out = await save(store.id, { smtp: { allowSelfSigned: true } });
    expect(out.notices).toEqual([
      'The saved SMTP password will not be sent now that "Allow self-signed certificate" is ticked: enter it again to send it anyway.',
    ]);
    const refused = await test(store.id);
    expect(refused.result).toMatchObject({ ok: false, failedStep: 'auth', errorCode: 'EUNTRUSTED_AUTH' });
    expect(refused.authSent).toBe(false);

    await save(store.id, { smtp: { allowSelfSigned: true }, auth: { smtpPassword: set(PASSWORD) } });
    expect((await test(store.id)).result.ok).toBe(true);
  });
});

describe('an OAuth connection and its destination', () => {
  const graph = (endpoint: string) => ({
    transport: { kind: 'graph' as const, graphEndpoint: endpoint, graphSender: USER },
    auth: {
      authType: 'oauth2' as const,
      oauth: {
        provider: 'microsoft' as const,
        tenantId: 'contoso.onmicrosoft.com',
        clientId: MS_CLIENT,
        grantType: 'client_credentials' as const,
        authorizationEndpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
        tokenEndpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
        scope: 'https://graph.microsoft.com/.default',
        loginUser: USER,
      },
    },
  });

  it('a changed Graph endpoint resets it: the bearer token is not sent to the new endpoint', async () => {
    const store = await createStore({ name: 'Graph', type: 'entra_id' }, admin.email);
    await save(store.id, graph('https://graph.microsoft.com/v1.0'));
    const p = await profileOf(store.id);
    // As Connect leaves it: a cached access token.
    await db.notificationProfile.update({
      where: { id: p.id },
      data: {
        oauthStatus: 'connected',
        oauthConnectedAt: new Date(),
        accessTokenEnc: sealSecret(p.id, 'accessToken', 'graph-access-token'),
        accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    expect(openSecret(p.id, 'accessToken', (await profileOf(store.id)).accessTokenEnc ?? '')).toBe('graph-access-token');

    const out = await save(store.id, graph('https://graph.elsewhere.example/v1.0'));
    expect(out.notices.join(' ')).toContain('The OAuth connection was reset because the Graph endpoint changed');
    expect(await profileOf(store.id)).toMatchObject({ oauthStatus: 'needs_reconnect', accessTokenEnc: null });
  });
});
