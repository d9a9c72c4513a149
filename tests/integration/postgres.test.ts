/**
 * The app's own code on PostgreSQL (DATABASE_URL=postgresql://…): migrations, the generated
 * PostgreSQL client, transactions and the compare-and-swap writes, against a fresh database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '@/lib/db/url';
import { notificationsInput } from '../support/notification-values';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const name = `mailroom_it_${randomBytes(4).toString('hex')}`;
const url = withDatabase(ADMIN_URL, name);

async function admin(sql: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(sql);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unavailable = await admin('SELECT 1');
if (unavailable) console.warn(`Skipping the PostgreSQL runtime tests: no server at ${ADMIN_URL} (${unavailable})`);

describe.skipIf(unavailable)('Mailroom on PostgreSQL', () => {
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const { applyMigrations } = await import('@/lib/db/migrate');
    await applyMigrations(url);
    // Point the app's configuration and client at PostgreSQL for this file.
    process.env.DATABASE_URL = url;
    (await import('@/lib/env')).resetEnvCache();
    delete (globalThis as { mailroomDb?: unknown }).mailroomDb;
  });
  afterAll(async () => {
    const { db } = await import('@/lib/db');
    await db.$disconnect();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
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
    await expect(saveNotificationSettings(store.id, notificationsSchema.parse(values), user.email)).rejects.toThrow(/Someone else saved/);
    expect(await db.auditEvent.count()).toBe(1);

    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const { rows } = await raw.query<{ n: string }>('SELECT count(*) AS n FROM "NotificationProfile" WHERE "smtpPasswordEnc" LIKE \'v1.%\'');
    await raw.end();
    expect(rows[0].n).toBe('1');
  });
});
