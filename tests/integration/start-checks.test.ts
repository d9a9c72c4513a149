/** What `npm start` checks before it builds and serves: migrations apply cleanly, and every stored secret has its key. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '@/lib/crypto/cipher';
import { assertEncryptionKeysConfigured } from '@/lib/crypto/key-check';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';
import { migrationsDir } from '@/lib/migrations/migrate';
import { migrateAllBut } from '@/tests/support/older-schema';
import { runScript } from '@/tests/support/run-script';

const newKey = () => randomBytes(32).toString('base64');
const idOf = (key: string) => keyIdOf(Buffer.from(key, 'base64'));

describe('npm start refuses a database whose secrets need a key that is not configured', () => {
  it('names the missing key id and the stores, before building anything; forget-missing clears them', async () => {
    const store = await createStore({ name: 'Contoso', type: 'other' }, 'cli');
    const values = notificationsInput({ auth: { smtpPassword: { mode: 'set', value: 'smtp-pass-1' } } });
    await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'cli');
    const lost = getEnv().APP_ENCRYPTION_KEY;
    const other = newKey();

    const started = await runScript('start', [], { ...process.env, APP_ENCRYPTION_KEY: other });
    expect(started.code).toBe(1);
    expect(started.stderr).toContain(`key ${idOf(lost)}: secrets of "Contoso"`);
    expect(started.stderr).toContain(`Configured: ${idOf(other)}`);
    expect(started.stderr).toContain('APP_ENCRYPTION_KEY_PREVIOUS');
    expect(started.out).not.toContain(lost);
    expect(started.out).not.toContain('Building the console');

    const env = { ...getEnv(), APP_ENCRYPTION_KEY: other };
    await expect(assertEncryptionKeysConfigured(env)).rejects.toThrow(idOf(lost));
    await expect(assertEncryptionKeysConfigured({ ...env, APP_ENCRYPTION_KEY_PREVIOUS: [lost] })).resolves.toBeUndefined();

    const keysEnv = { ...process.env, APP_ENCRYPTION_KEY: other };
    const listed = await runScript('keys', ['forget-missing'], keysEnv);
    expect(listed.stdout).toContain('"Contoso": SMTP password');
    expect((await db.notificationProfile.findUniqueOrThrow({ where: { storeId: store.id } })).smtpPasswordEnc).not.toBeNull();
    const forgot = await runScript('keys', ['forget-missing', '--yes'], keysEnv);
    expect(forgot.stdout).toContain('Cleared 1 secret(s)');
    const row = await db.notificationProfile.findUniqueOrThrow({ where: { storeId: store.id } });
    expect(row).toMatchObject({ smtpPasswordEnc: null, smtpPasswordSetAt: null });
    await expect(assertEncryptionKeysConfigured(env)).resolves.toBeUndefined();
  });
});

describe('npm start on a database an upgrade fails to migrate', () => {
  it('exits non-zero naming the migration and its cause, and leaves the database as it was', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroom-upgrade-'));
    const file = path.join(dir, 'mailroom.db');
    // The newest migration that creates a table and then an index on it (not one of SQLite's table
    // rebuilds): the database is left just before it, and an index of that name is put in its way.
    const sqlite = migrationsDir('sqlite');
    const names = readdirSync(sqlite)
      .filter((n) => /^\d{14}_/.test(n))
      .sort();
    const candidates = names.map((name, i) => {
      const sql = readFileSync(path.join(sqlite, name, 'migration.sql'), 'utf8');
      const created = [...sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((m) => m[1]).filter((t) => !t.startsWith('new_'));
      const onCreated = [...sql.matchAll(/CREATE (?:UNIQUE )?INDEX "([^"]+)" ON "([^"]+)"/g)].find((m) => created.includes(m[2]));
      return { name, skip: names.length - i, index: onCreated?.[1] };
    });
    const target = candidates.filter((c) => c.index).at(-1);
    expect(target).toBeDefined();
    const { skipped } = await migrateAllBut(`file:${file}`, target!.skip);
    const [newest] = skipped;
    expect(newest).toBe(target!.name);
    const index = target!.index!;
    const before = new Database(file);
    before.exec(`CREATE INDEX "${index}" ON "User"("email")`); // an index of that name already exists: its CREATE INDEX fails
    const tablesBefore = before.prepare(`SELECT name FROM sqlite_master ORDER BY name`).pluck().all();
    before.close();

    const started = await runScript('start', [], { ...process.env, DATA_DIR: dir, DATABASE_URL: `file:${file}` });
    expect(started.code).toBe(1);
    expect(started.stderr).toContain(
      `migration \`${newest}\` failed and was rolled back, so the database is as it was before it`,
    );
    expect(started.stderr).toContain(`index ${index} already exists`);

    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT name FROM sqlite_master ORDER BY name`).pluck().all()).toEqual(tablesBefore);
    after.close();
    const version = await runScript('admin', ['version'], { ...process.env, DATA_DIR: dir, DATABASE_URL: `file:${file}` });
    expect(version.stdout).toContain(`\`npm start\` applies ${newest}`);
  });
});

describe('npm run admin -- version', () => {
  it('prints the app version and the schema version without changing anything', async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const args of [['version'], ['--version']]) {
      const { code, stdout } = await runScript('admin', args, process.env);
      expect(code).toBe(0);
      expect(stdout).toContain(`Mailroom ${pkg.version}`);
      expect(stdout).toMatch(/Schema: \d{14}_\w+ \(all \d+ migrations applied\)/);
      expect(stdout).toContain('Database: embedded SQLite');
    }
  });
});
