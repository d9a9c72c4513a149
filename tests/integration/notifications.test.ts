import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { sqliteFilePath } from '@/lib/database-url';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { toFormValues } from '@/lib/notifications/mapping';
import { createStore, deleteStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';

const PASSWORD = 'Tr0ub4dor&3-smtp-password';
const set = (value: string) => ({ mode: 'set' as const, value });

async function profileOf(storeId: string) {
  return db.notificationProfile.findUniqueOrThrow({ where: { storeId } });
}

async function save(storeId: string, patch: Parameters<typeof notificationsInput>[0]) {
  const version = (await profileOf(storeId)).version;
  return saveNotificationSettings(
    storeId,
    notificationsSchema.parse(notificationsInput({ ...patch, version })),
    'ann@example.com',
  );
}

describe('Notifications page storage', () => {
  it('saves, reloads the same values, and keeps only ciphertext of the password', async () => {
    const store = await createStore({ name: 'Contoso AD', type: 'active_directory' }, 'ann@example.com');
    const out = await save(store.id, {
      auth: { smtpPassword: set(PASSWORD) },
      recipients: { cc: 'a@example.com;b@example.com' },
    });
    expect(out.secrets).toEqual({ smtpPassword: 'replaced' });

    const row = await profileOf(store.id);
    expect(row.smtpPasswordEnc).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.smtpPasswordEnc).not.toContain(PASSWORD);
    expect(openSecret(row.id, 'smtpPassword', row.smtpPasswordEnc!)).toBe(PASSWORD);

    const reloaded = toFormValues(row);
    expect(reloaded.smtp).toEqual(notificationsInput().smtp);
    expect(reloaded.recipients.cc).toBe('a@example.com; b@example.com');
    expect(reloaded.auth.smtpPassword).toEqual({ mode: 'keep', value: '' });
    expect(reloaded.membership).toEqual(notificationsInput().membership);

    const file = fs.readFileSync(sqliteFilePath(getEnv().DATABASE_URL));
    expect(file.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('keeps an untouched secret, clears it when its destination changes, keeps a re-entered one', async () => {
    const store = await createStore({ name: 'Fabrikam', type: 'entra_id' }, 'ann@example.com');
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    const first = await profileOf(store.id);

    const kept = await save(store.id, { recipients: { to: 'new@example.com' } });
    expect(kept.secrets).toEqual({});
    expect(kept.changed).toEqual(['toAddresses']);
    const second = await profileOf(store.id);
    expect(second.smtpPasswordEnc).toBe(first.smtpPasswordEnc);
    expect(second.smtpPasswordSetAt).toEqual(first.smtpPasswordSetAt);

    const moved = await save(store.id, { smtp: { host: 'smtp.elsewhere.example' }, recipients: { to: 'new@example.com' } });
    expect(moved.secrets).toEqual({ smtpPassword: 'cleared_destination_changed' });
    expect(moved.notices[0]).toContain('SMTP password was cleared because the SMTP server changed');
    expect((await profileOf(store.id)).smtpPasswordEnc).toBeNull();

    await save(store.id, { smtp: { host: 'smtp.elsewhere.example' }, auth: { smtpPassword: set(PASSWORD) } });
    const reentered = await save(store.id, {
      smtp: { host: 'smtp.third.example', port: 2525 },
      auth: { smtpPassword: set('another-one') },
    });
    expect(reentered.secrets).toEqual({ smtpPassword: 'replaced' });
    const row = await profileOf(store.id);
    expect(openSecret(row.id, 'smtpPassword', row.smtpPasswordEnc!)).toBe('another-one');

    const cleared = await save(store.id, {
      smtp: { host: 'smtp.third.example', port: 2525 },
      auth: { smtpPassword: { mode: 'clear', value: '' } },
    });
    expect(cleared.secrets).toEqual({ smtpPassword: 'cleared' });
    expect((await profileOf(store.id)).smtpPasswordSetAt).toBeNull();
  });

  it('saves nothing when the input is invalid or the form is stale', async () => {
    const store = await createStore({ name: 'Northwind', type: 'ldap' }, 'ann@example.com');
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    const before = await profileOf(store.id);

    const bad = notificationsSchema.safeParse(
      notificationsInput({ version: before.version, recipients: { cc: 'bob@' }, smtp: { host: 'changed.example' } }),
    );
    expect(bad.success).toBe(false);

    const stale = notificationsSchema.parse(
      notificationsInput({ version: before.version - 1, smtp: { host: 'changed.example' } }),
    );
    await expect(saveNotificationSettings(store.id, stale, 'eve@example.com')).rejects.toThrow(/Someone else saved/);
    expect(await profileOf(store.id)).toEqual(before);
  });

  it('refuses a duplicate store name and deletes a store with its secrets after confirmation', async () => {
    await expect(createStore({ name: 'Contoso AD', type: 'other' }, 'ann@example.com')).rejects.toThrow(/already exists/);
    const store = await createStore({ name: 'Temporary', type: 'other' }, 'ann@example.com');
    await save(store.id, { auth: { smtpPassword: set(PASSWORD) } });
    await expect(deleteStore(store.id, 'temporary')).rejects.toThrow(/Type the store's name/);
    await deleteStore(store.id, 'Temporary');
    expect(await db.notificationProfile.count({ where: { storeId: store.id } })).toBe(0);
  });
});
