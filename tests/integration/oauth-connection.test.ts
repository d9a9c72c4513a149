import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/notifications/route';
import { createApiKey } from '@/lib/api-keys/service';
import { openSecret, sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { testStore } from '@/lib/notifications/test-server';
import { clientCredentialsToken } from '@/lib/oauth/client';
import { loadProfileOAuth } from '@/lib/oauth/config';
import { getAccessToken, saveConnection, TokenUnavailable } from '@/lib/oauth/connection';
import { consumeState, saveState } from '@/lib/oauth/state';
import { createUser } from '@/lib/users/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { MS_CLIENT, notificationsInput } from '@/tests/support/notification-values';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { connectOAuth, microsoftOAuthStore, OAUTH_REDIRECT, startOAuthPeers } from '@/tests/support/oauth-profile';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import { startTestWorker } from '@/tests/support/outbox';
import { waitUntilFinal } from '@/lib/outbox/status';
import type { Background } from '@/lib/runtime/background';
import { resetEnvCache } from '@/lib/env';

const SECRET = 'local-client-secret-value';
const TENANT = 'contoso.onmicrosoft.com';
const MAILBOX = 'helpdesk@contoso.example';

let oauth: OAuthTestServer;
let peer: Peer;
let closePeers: () => Promise<void>;
let admin: { id: string; email: string };
let worker: Background;

beforeAll(async () => {
  ({ oauth, peer, close: closePeers } = await startOAuthPeers({ clientSecret: SECRET }));
  admin = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'ann password 123', role: 'admin' });
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop(5_000);
  await closePeers?.();
});

const profileOptions = () => ({
  oauth,
  smtpPort: peer.port,
  tenant: TENANT,
  clientSecret: SECRET,
  mailbox: MAILBOX,
  actor: admin.email,
});
const oauthStore = (name: string, grant?: 'authorization_code' | 'client_credentials') =>
  microsoftOAuthStore(profileOptions(), name, grant);
const connect = (storeId: string, username = MAILBOX) => connectOAuth(storeId, admin.id, username);

type Grant = 'authorization_code' | 'client_credentials';

/** A valid Notifications form for Microsoft OAuth against the local server, sending through `smtp` (default: the STARTTLS peer). */
function oauthValues(
  grant: Grant,
  o: { version?: number; smtp?: Partial<ReturnType<typeof notificationsInput>['smtp']>; secret?: boolean } = {},
) {
  const e = oauth.entra(TENANT);
  const values = notificationsInput({
    version: o.version ?? 0,
    smtp: {
      host: '127.0.0.1',
      port: peer.port,
      securityMode: 'starttls',
      allowSelfSigned: true,
      fromAddress: MAILBOX,
      ...o.smtp,
    },
    auth: {
      authType: 'oauth2',
      oauth: {
        provider: 'microsoft',
        tenantId: TENANT,
        clientId: MS_CLIENT,
        ...(o.secret && { clientSecret: { mode: 'set' as const, value: SECRET } }),
        grantType: grant,
        authorizationEndpoint: e.authorizationEndpoint,
        tokenEndpoint: e.tokenEndpoint,
        scope:
          grant === 'client_credentials'
            ? 'https://outlook.office365.com/.default'
            : 'https://outlook.office.com/SMTP.Send offline_access',
        loginUser: grant === 'client_credentials' ? MAILBOX : '',
      },
    },
  });
  return notificationsSchema.parse(values);
}

const expireAccessToken = (profileId: string) =>
  db.notificationProfile.update({ where: { id: profileId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });

describe('OAuth connection lifecycle', () => {
  it('code flow stores the refresh token encrypted, and Test Server sends with XOAUTH2 as the signed-in mailbox', async () => {
    const { store, profile } = await oauthStore('Contoso');
    const tokens = await connect(store.id);
    const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(row).toMatchObject({ oauthStatus: 'connected', oauthAccount: MAILBOX, oauthLoginUser: MAILBOX });
    expect(row.refreshTokenEnc).not.toContain(tokens.refreshToken);
    expect(openSecret(profile.id, 'refreshToken', row.refreshTokenEnc!)).toBe(tokens.refreshToken);
    expect(row.oauthScopes).toContain('SMTP.Send');

    const before = oauth.counters.tokenRequests;
    const result = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
    expect(result.ok).toBe(true);
    expect(result.transcript).toContain('C: AUTH XOAUTH2 ****');
    expect(oauth.counters.tokenRequests).toBe(before); // the cached access token was used
    expect(peer.messages.at(-1)?.user).toBe(MAILBOX);
    expect(JSON.stringify(result)).not.toContain(tokens.accessToken);
  });

  it('an expired access token is refreshed once for 20 concurrent sends, and the rotated refresh token is persisted', async () => {
    const { store, profile } = await oauthStore('Rotation');
    const first = await connect(store.id);
    await expireAccessToken(profile.id);
    const before = oauth.counters.byGrant.refresh_token ?? 0;

    const tokens = await Promise.all(Array.from({ length: 20 }, () => getAccessToken(profile.id)));
    expect(new Set(tokens).size).toBe(1);
    expect(oauth.counters.byGrant.refresh_token).toBe(before + 1);

    const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    const rotated = openSecret(profile.id, 'refreshToken', row.refreshTokenEnc!);
    expect(rotated).not.toBe(first.refreshToken);
    expect(openSecret(profile.id, 'accessToken', row.accessTokenEnc!)).toBe(tokens[0]);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());

    const sent = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
    expect(sent.ok).toBe(true);
  });

  it('while another process refreshes (its lease on the row), this one waits for that token instead of asking too', async () => {
    const { store, profile } = await oauthStore('Lease');
    await connect(store.id);
    await expireAccessToken(profile.id);
    const before = oauth.counters.tokenRequests;
    // What another process's claim leaves on the row: a new version and a lease, the old token still there.
    await db.notificationProfile.update({
      where: { id: profile.id },
      data: { tokenVersion: { increment: 1 }, tokenRefreshUntil: new Date(Date.now() + 30_000) },
    });
    const waiting = getAccessToken(profile.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(oauth.counters.tokenRequests).toBe(before);
    // The other process finishes: its token is stored and the lease cleared.
    await db.notificationProfile.update({
      where: { id: profile.id },
      data: {
        accessTokenEnc: sealSecret(profile.id, 'accessToken', 'token-from-the-other-process'),
        accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
        tokenVersion: { increment: 1 },
        tokenRefreshUntil: null,
      },
    });
    expect(await waiting).toBe('token-from-the-other-process');
    expect(oauth.counters.tokenRequests).toBe(before);

    // A lease that ran out (its process died) is taken over.
    await expireAccessToken(profile.id);
    await db.notificationProfile.update({ where: { id: profile.id }, data: { tokenRefreshUntil: new Date(Date.now() - 1) } });
    expect(await getAccessToken(profile.id)).not.toBe('token-from-the-other-process');
    expect(oauth.counters.tokenRequests).toBe(before + 1);
  });

  it('invalid_grant marks the profile "needs reconnect" with the provider’s advice; Test Server says so', async () => {
    const { store, profile } = await oauthStore('Revoked');
    await connect(store.id);
    await db.notificationProfile.update({
      where: { id: profile.id },
      data: {
        refreshTokenEnc: sealSecret(profile.id, 'refreshToken', 'revoked-refresh-token'),
        accessTokenExpiresAt: new Date(0),
      },
    });
    await expect(getAccessToken(profile.id)).rejects.toBeInstanceOf(TokenUnavailable);
    const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(row.oauthStatus).toBe('needs_reconnect');
    expect(row.oauthErrorCode).toMatch(/^AADSTS/);

    const result = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
    expect(result).toMatchObject({ ok: false, failedStep: 'token', advice: { id: 'oauth-needs-reconnect' } });
  });

  it('a failing token endpoint keeps the refresh token and backs off', async () => {
    const { store, profile } = await oauthStore('Outage');
    await connect(store.id);
    const kept = (await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } })).refreshTokenEnc;
    await expireAccessToken(profile.id);
    oauth.failNext({ status: 503, error: 'temporarily_unavailable', error_description: 'Service unavailable' });
    const err = await getAccessToken(profile.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenUnavailable);
    const requests = oauth.counters.tokenRequests;
    await expect(getAccessToken(profile.id)).rejects.toBeInstanceOf(TokenUnavailable);
    expect(oauth.counters.tokenRequests).toBe(requests); // backed off: no second request
    const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(row.refreshTokenEnc).toBe(kept);
    expect(row.oauthStatus).toBe('connected');
  });

  it('client credentials: a token to send as the mailbox, renewed by the same grant when it expires', async () => {
    const { store, profile } = await oauthStore('App-only', 'client_credentials');
    const p = await loadProfileOAuth({ storeId: store.id });
    await saveConnection(profile.id, await clientCredentialsToken(p.config), MAILBOX);
    await expireAccessToken(profile.id);
    const before = oauth.counters.byGrant.client_credentials ?? 0;
    const result = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
    expect(result.ok).toBe(true);
    expect(oauth.counters.byGrant.client_credentials).toBe(before + 1);
    expect((await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } })).refreshTokenEnc).toBeNull();
  });

  it('the send API sends with the connection’s token, refreshing an expired one; a dead grant holds the queue until Reconnect', async () => {
    const { store, profile } = await oauthStore('Send API');
    await connect(store.id);
    const { key } = await createApiKey(store.id, 'Helpdesk', admin.email);
    const post = (subject: string, wait = 30) =>
      POST(
        new Request('http://localhost/api/v1/notifications', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', prefer: `wait=${wait}` },
          body: JSON.stringify({ to: ['jane@example.org'], subject, text: 'x' }),
        }),
      );

    await expireAccessToken(profile.id);
    const refreshes = oauth.counters.byGrant.refresh_token ?? 0;
    const ok = await post('Through OAuth');
    expect(ok.status).toBe(200);
    expect(oauth.counters.byGrant.refresh_token).toBe(refreshes + 1);
    expect(peer.messages.at(-1)).toMatchObject({ user: MAILBOX, to: ['jane@example.org'] });

    await db.notificationProfile.update({
      where: { id: profile.id },
      data: {
        refreshTokenEnc: sealSecret(profile.id, 'refreshToken', 'revoked-refresh-token'),
        accessTokenExpiresAt: new Date(0),
      },
    });
    // An open pooled session would still carry its accepted token: a new process has none.
    await worker.stop(5_000);
    worker = await startTestWorker();
    const before = peer.messages.length;
    const held = await post('Held while the grant is dead', 3);
    expect(held.status).toBe(202);
    const body = (await held.json()) as { id: string; status: string; paused: string; lastError: unknown };
    // Kept, not failed: the attempt was given back and the store's queue waits for a reconnect.
    expect(body).toMatchObject({ status: 'queued', paused: expect.stringMatching(/Reconnect/) as unknown });
    // The provider's own reason (AADSTS70008 → its advice) says why.
    expect(body.lastError).toMatchObject({ step: 'token', advice: { id: 'refresh-token-expired' } });
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: body.id } })).toMatchObject({ state: 'queued', attempts: 0 });

    await connect(store.id);
    const sent = await waitUntilFinal(body.id, 20_000, (ms) => new Promise((r) => setTimeout(r, ms)));
    expect(sent?.state).toBe('sent');
    expect(peer.messages.length).toBe(before + 1);
    expect(sent?.attempts.map((a) => a.outcome)).toEqual(['paused', 'sent']);
  });

  it('changing the scope after connecting resets the connection', async () => {
    const { store, profile } = await oauthStore('Changed');
    await connect(store.id);
    const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    const e = oauth.entra(TENANT);
    const values = notificationsInput({
      version: row.version,
      smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: MAILBOX },
      auth: {
        authType: 'oauth2',
        oauth: {
          provider: 'microsoft',
          tenantId: TENANT,
          clientId: MS_CLIENT,
          authorizationEndpoint: e.authorizationEndpoint,
          tokenEndpoint: e.tokenEndpoint,
          scope: 'https://outlook.office.com/SMTP.Send offline_access openid',
          loginUser: MAILBOX,
        },
      },
    });
    const out = await saveNotificationSettings(store.id, notificationsSchema.parse(values), admin.email);
    expect(out.notices.join(' ')).toContain('The OAuth connection was reset because the scope changed');
    const after = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(after).toMatchObject({ oauthStatus: 'needs_reconnect', refreshTokenEnc: null, accessTokenEnc: null });
  });

  it('moving the SMTP server (a plain-text one on another port) resets the connection: the token never reaches it', async () => {
    const elsewhere = await startSmtpPeer({
      starttls: false,
      allowInsecureAuth: true,
      validateToken: (user, token) => oauth.isValidAccessToken(user, token),
    });
    process.env.SMTP_ALLOWED_PORTS = `587,${peer.port},${elsewhere.port}`;
    resetEnvCache();
    try {
      const { store, profile } = await oauthStore('Moved', 'client_credentials');
      const p = await loadProfileOAuth({ storeId: store.id });
      await saveConnection(profile.id, await clientCredentialsToken(p.config), MAILBOX);
      const row = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
      const moved = oauthValues('client_credentials', {
        version: row.version,
        smtp: { port: elsewhere.port, securityMode: 'none', allowSelfSigned: false },
      });
      const out = await saveNotificationSettings(store.id, moved, admin.email);
      expect(out.notices.join(' ')).toContain('The OAuth connection was reset because the port changed');
      expect(await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } })).toMatchObject({
        oauthStatus: 'needs_reconnect',
        accessTokenEnc: null,
      });
      const result = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
      expect(result).toMatchObject({ ok: false, failedStep: 'token' });
      expect(elsewhere.connections).toBe(0);
      expect(elsewhere.commands).not.toContain('AUTH');
    } finally {
      await elsewhere.close();
      process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
      resetEnvCache();
    }
  });

  it('security set to None on the same server: the connection stays, but its token is not sent until reconnected', async () => {
    const plain = await startSmtpPeer({
      allowInsecureAuth: true,
      validateToken: (user, token) => oauth.isValidAccessToken(user, token),
    });
    process.env.SMTP_ALLOWED_PORTS = `587,${peer.port},${plain.port}`;
    resetEnvCache();
    try {
      const { store, profile } = await oauthStore('Downgraded', 'client_credentials');
      const values = (version: number, securityMode: 'starttls' | 'none') =>
        oauthValues('client_credentials', { version, smtp: { port: plain.port, securityMode } });
      await saveNotificationSettings(store.id, values(profile.version, 'starttls'), admin.email);
      const p = await loadProfileOAuth({ storeId: store.id });
      await saveConnection(profile.id, await clientCredentialsToken(p.config), MAILBOX);
      const connected = await db.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });

      const out = await saveNotificationSettings(store.id, values(connected.version, 'none'), admin.email);
      expect(out.notices.join(' ')).toContain('The OAuth connection will not be used now that security is set to "None"');
      const refused = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
      expect(refused).toMatchObject({ ok: false, failedStep: 'auth', errorCode: 'EPLAINTEXT_AUTH' });
      expect(plain.commands).not.toContain('AUTH');

      // Reconnecting after choosing None is the admin saying: yes, in clear text.
      await saveConnection(profile.id, await clientCredentialsToken(p.config), MAILBOX);
      const sent = await testStore(store.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
      expect(sent.ok).toBe(true);
      expect(plain.commands).toContain('AUTH');
    } finally {
      await plain.close();
      process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
      resetEnvCache();
    }
  });

  it('state is single use, bound to the admin, and expires', async () => {
    const { profile } = await oauthStore('State');
    const base = { profileId: profile.id, provider: 'microsoft', redirectUri: OAUTH_REDIRECT, allowAccountChange: false };
    await saveState('state-one', 'verifier-one', { ...base, userId: admin.id });
    expect(await consumeState('state-one', admin.id)).toMatchObject({ ok: true, state: { codeVerifier: 'verifier-one' } });
    expect(await consumeState('state-one', admin.id)).toEqual({ ok: false, reason: 'unknown' });

    await saveState('state-two', 'verifier-two', { ...base, userId: admin.id });
    expect(await consumeState('state-two', 'someone-else')).toEqual({ ok: false, reason: 'foreign' });
    expect(await consumeState('state-two', admin.id)).toEqual({ ok: false, reason: 'unknown' });

    await saveState('state-three', 'verifier-three', { ...base, userId: admin.id });
    await db.oAuthState.updateMany({ data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await consumeState('state-three', admin.id)).toEqual({ ok: false, reason: 'expired' });
    expect(await consumeState(null, admin.id)).toEqual({ ok: false, reason: 'missing' });
    expect(await db.oAuthState.count()).toBe(0);
  });
});
