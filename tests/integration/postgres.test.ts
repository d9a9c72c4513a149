/**
 * The app's own code on PostgreSQL (DATABASE_URL=postgresql://…): migrations, the generated
 * PostgreSQL client, transactions and the compare-and-swap writes, against a fresh database.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsInput } from '@/tests/support/notification-values';
import { createTestDatabase, postgresUnavailable } from '@/tests/support/postgres';

const unavailable = await postgresUnavailable('the PostgreSQL runtime tests');
let url = '';
let drop: () => Promise<void> = async () => undefined;

describe.skipIf(unavailable)('Mailroom on PostgreSQL', () => {
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase('mailroom_it'));
    const { applyMigrations } = await import('@/lib/migrations/migrate');
    await applyMigrations(url);
    // Point the app's configuration and client at PostgreSQL for this file.
    process.env.DATABASE_URL = url;
    (await import('@/lib/env')).resetEnvCache();
    delete (globalThis as { mailroomDb?: unknown }).mailroomDb;
  });
  afterAll(async () => {
    const { db } = await import('@/lib/db');
    await db.$disconnect();
    await drop();
  });

  it('creates users and stores, saves the Notifications page with an encrypted secret, and refuses a stale save', async () => {
    const { db } = await import('@/lib/db');
    const { getEnv } = await import('@/lib/env');
    const { createUser } = await import('@/lib/users/service');
    const { createStore } = await import('@/lib/stores/service');
    const { saveNotificationSettings } = await import('@/lib/notifications/service');
    const { notificationsSchema } = await import('@/lib/validation/notifications');
    const { openSecret } = await import('@/lib/crypto');
    const { recordAudit } = await import('@/lib/audit');
    expect(getEnv().embedded).toBe(false);

    const user = await createUser({ email: 'pg@example.com', name: 'PG', password: 'postgres password', role: 'admin' });
    await recordAudit({ actor: user, action: 'user.create', target: user.email, details: { role: 'admin' } });
    const store = await createStore({ name: 'On PostgreSQL', type: 'other' }, user.email);
    const values = notificationsInput({ auth: { smtpPassword: { mode: 'set', value: 'pg-smtp-password' } } });
    const out = await saveNotificationSettings(store.id, notificationsSchema.parse(values), user.email);
    expect(out.version).toBe(1);

    const row = await db.notificationProfile.findUniqueOrThrow({ where: { storeId: store.id } });
    expect(row.smtpPasswordEnc).not.toContain('pg-smtp-password');
    expect(openSecret(row.id, 'smtpPassword', row.smtpPasswordEnc ?? '')).toBe('pg-smtp-password');
    await expect(saveNotificationSettings(store.id, notificationsSchema.parse(values), user.email)).rejects.toThrow(
      /Someone else saved/,
    );
    expect(await db.auditEvent.count()).toBe(1);

    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const { rows } = await raw.query<{ n: string }>(
      'SELECT count(*) AS n FROM "NotificationProfile" WHERE "smtpPasswordEnc" LIKE \'v1.%\'',
    );
    await raw.end();
    expect(rows[0].n).toBe('1');
  });
});
