import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keyIdOf, makeKeyring, decrypt } from '@/lib/crypto/cipher';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';

const root = path.resolve(__dirname, '../..');
const keys = (args: string[], env: NodeJS.ProcessEnv) =>
  promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/keys.ts', ...args], { cwd: root, env });

describe('npm run keys -- rotate', () => {
  it('re-encrypts every stored secret with the new key; the old key is then no longer needed', async () => {
    const oldKey = getEnv().APP_ENCRYPTION_KEY;
    const store = await createStore({ name: 'Rotation', type: 'other' }, 'cli');
    const values = notificationsInput({
      auth: {
        smtpPassword: { mode: 'set', value: 'smtp-pass-1' },
        oauth: { clientSecret: { mode: 'set', value: 'client-secret-1' } },
      },
    });
    await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'cli');

    const newKey = randomBytes(32).toString('base64');
    const env = { ...process.env, APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEY_PREVIOUS: oldKey };
    const { stdout } = await keys(['rotate'], env);
    expect(stdout).toContain('Re-encrypted 2 secret(s) in 1 profile(s)');
    expect(stdout).toContain(`${keyIdOf(Buffer.from(newKey, 'base64'))} (current): 2`);

    const row = await db.notificationProfile.findUniqueOrThrow({ where: { storeId: store.id } });
    const onlyNew = makeKeyring(newKey);
    expect(decrypt(onlyNew, row.smtpPasswordEnc!, `${row.id}|smtpPassword`)).toBe('smtp-pass-1');
    expect(decrypt(onlyNew, row.clientSecretEnc!, `${row.id}|clientSecret`)).toBe('client-secret-1');
    expect(() => decrypt(makeKeyring(oldKey), row.smtpPasswordEnc!, `${row.id}|smtpPassword`)).toThrow(/not configured/);

    const again = await keys(['rotate'], env);
    expect(again.stdout).toContain('Re-encrypted 0 secret(s)');
  });
});
