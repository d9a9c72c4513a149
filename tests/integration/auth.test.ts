import { describe, expect, it } from 'vitest';
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { authOptions } from '@/lib/auth/options';
import { db } from '@/lib/db';
import { CLIENT_ADDRESS_HEADER } from '@/lib/http/client-address';
import { changeOwnPassword, createUser } from '@/lib/users/service';

type Authorize = NonNullable<CredentialsConfig['authorize']>;

function authorizer(): Authorize {
  const provider = authOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

/** A sign-in request as the console's server passes it on: the socket address stamped, plus what the client sent. */
const req = (ip: string, sent: Record<string, string> = {}) => ({ headers: { ...sent, [CLIENT_ADDRESS_HEADER]: ip } }) as never;

describe('sign-in', () => {
  it('stores a bcrypt hash, accepts the right password and logs both outcomes', async () => {
    await createUser({ email: 'ann@example.com', name: 'Ann', password: 'correct horse battery', role: 'admin' });
    const row = await db.user.findUniqueOrThrow({ where: { email: 'ann@example.com' } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(row.passwordHash).not.toContain('correct horse');

    const authorize = authorizer();
    expect(await authorize({ email: 'ann@example.com', password: 'wrong password!' }, req('10.0.0.1'))).toBeNull();
    expect(await authorize({ email: 'ANN@example.com ', password: 'correct horse battery' }, req('10.0.0.1'))).toMatchObject({
      email: 'ann@example.com',
    });
    const actions = (await db.auditEvent.findMany({ orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['auth.sign_in_failed', 'auth.sign_in']);
    expect((await db.user.findUniqueOrThrow({ where: { email: 'ann@example.com' } })).lastLoginAt).not.toBeNull();
  });

  it('blocks an account and address after 10 failures, with the wait in the message', async () => {
    await createUser({ email: 'bob@example.com', name: '', password: 'bob password 123', role: 'viewer' });
    const authorize = authorizer();
    for (let i = 0; i < 10; i++) {
      expect(await authorize({ email: 'bob@example.com', password: `nope ${i}` }, req('10.0.0.2'))).toBeNull();
    }
    await expect(authorize({ email: 'bob@example.com', password: 'bob password 123' }, req('10.0.0.2'))).rejects.toThrow(
      /Too many failed sign-in attempts\. Try again in 1[45] minutes/,
    );
    // Another address is not blocked by someone else's failures.
    expect(await authorize({ email: 'bob@example.com', password: 'bob password 123' }, req('10.0.0.3'))).toMatchObject({
      email: 'bob@example.com',
    });
  });

  it('an address the client claims in X-Forwarded-For neither escapes the limit nor locks out that address', async () => {
    await createUser({ email: 'dan@example.com', name: '', password: 'dan password 123', role: 'viewer' });
    const authorize = authorizer();
    for (let i = 0; i < 10; i++) {
      const spoof = { 'x-forwarded-for': `198.51.100.${i}` };
      expect(await authorize({ email: 'dan@example.com', password: `nope ${i}` }, req('10.0.1.1', spoof))).toBeNull();
    }
    await expect(
      authorize(
        { email: 'dan@example.com', password: 'dan password 123' },
        req('10.0.1.1', { 'x-forwarded-for': '198.51.100.99' }),
      ),
    ).rejects.toThrow(/Too many failed sign-in attempts/);
    // The owner, at one of the addresses the attacker named, is not locked out.
    expect(await authorize({ email: 'dan@example.com', password: 'dan password 123' }, req('198.51.100.3'))).toMatchObject({
      email: 'dan@example.com',
    });
    const failed = await db.auditEvent.findMany({ where: { action: 'auth.sign_in_failed', actorEmail: 'dan@example.com' } });
    expect(new Set(failed.map((e) => e.ip))).toEqual(new Set(['10.0.1.1']));
  });

  it('limits an account to 20 failures in 5 minutes whatever the addresses, without blocking it for long', async () => {
    await createUser({ email: 'eli@example.com', name: '', password: 'eli password 123', role: 'viewer' });
    const authorize = authorizer();
    for (let i = 0; i < 20; i++) {
      expect(await authorize({ email: 'eli@example.com', password: `nope ${i}` }, req(`203.0.113.${i}`))).toBeNull();
    }
    await expect(authorize({ email: 'eli@example.com', password: 'eli password 123' }, req('192.0.2.200'))).rejects.toThrow(
      /Too many failed sign-in attempts\. Try again in ([1-9]\d? seconds|[2-5] minutes)\./,
    );
    const locked = await db.auditEvent.findFirstOrThrow({ where: { action: 'auth.locked_out', actorEmail: 'eli@example.com' } });
    expect(locked.ip).toBe('192.0.2.200');
    // Other accounts are not affected.
    expect(await authorize({ email: 'ann@example.com', password: 'correct horse battery' }, req('203.0.113.1'))).toMatchObject({
      email: 'ann@example.com',
    });
  });

  it('refuses a second account with the same email and a second first-run setup', async () => {
    await expect(
      createUser({ email: 'ann@example.com', name: '', password: 'another password', role: 'viewer' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      createUser({ email: 'eve@example.com', name: '', password: 'eve password 123', role: 'admin' }, { onlyIfNoUsers: true }),
    ).rejects.toThrow(/already set up/);
    expect(await db.user.count({ where: { email: 'eve@example.com' } })).toBe(0);
  });

  it('a password change needs the current password, records when it happened, and the JWT carries the sign-in time', async () => {
    const user = await createUser({ email: 'cat@example.com', name: 'Cat', password: 'cat password 123', role: 'viewer' });
    await expect(changeOwnPassword(user.id, 'wrong', 'cat password 456')).rejects.toMatchObject({ field: 'currentPassword' });
    await expect(changeOwnPassword(user.id, 'cat password 123', 'cat password 123')).rejects.toMatchObject({ field: 'password' });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordChangedAt).toBeNull();

    const before = Date.now();
    await changeOwnPassword(user.id, 'cat password 123', 'cat password 456');
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordChangedAt?.getTime()).toBeGreaterThanOrEqual(before);
    const authorize = authorizer();
    expect(await authorize({ email: 'cat@example.com', password: 'cat password 123' }, req('10.0.0.3'))).toBeNull();
    expect(await authorize({ email: 'cat@example.com', password: 'cat password 456' }, req('10.0.0.3'))).toMatchObject({
      id: user.id,
    });

    // Sessions compare this against the passwordChangedAt above (lib/auth/session.ts).
    const jwt = authOptions().callbacks?.jwt as unknown as (p: { token: object; user?: { id: string } }) => {
      signedInAt?: number;
      sid?: string;
    };
    const token = jwt({ token: {}, user: { id: user.id } });
    expect(token.signedInAt).toBeGreaterThanOrEqual(row.passwordChangedAt?.getTime() ?? Infinity);
    // Each sign-in gets its own session id, which sign-out records (lib/users/service.ts endSession).
    expect(token.sid).toMatch(/^[\w-]{24}$/);
    expect(jwt({ token: {}, user: { id: user.id } }).sid).not.toBe(token.sid);
  });

  it("next-auth's redirect after sign-in or sign-out stays on APP_URL's origin", async () => {
    const redirect = authOptions().callbacks?.redirect;
    if (!redirect) throw new Error('no redirect callback');
    const base = 'http://localhost:3000';
    expect(await redirect({ url: '/\\evil.example/x', baseUrl: base })).toBe(`${base}/`);
    expect(await redirect({ url: 'https://evil.example/', baseUrl: base })).toBe(`${base}/`);
    expect(await redirect({ url: '/login', baseUrl: base })).toBe(`${base}/login`);
  });
});
