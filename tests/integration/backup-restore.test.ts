/**
 * `npm run backup` while the console sends, `npm run restore` into a fresh directory, and the restored
 * stores still send through their Basic password and OAuth refresh token; the refusals around it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt, encrypt, keyIdOf, makeKeyring } from '@/lib/crypto/cipher';
import { closeDb, createDb, db } from '@/lib/db';
import { getEnv, resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { testStore } from '@/lib/notifications/test-server';
import { getAccessToken } from '@/lib/oauth/connection';
import { getSystemSettings } from '@/lib/settings/queries';
import { createStore } from '@/lib/stores/service';
import { createUser } from '@/lib/users/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';
import { migrateBefore } from '@/tests/support/older-schema';
import { connectOAuth, microsoftOAuthStore, startOAuthPeers } from '@/tests/support/oauth-profile';
import type { OAuthTestServer } from '@/tests/support/oauth-server';
import { runScript } from '@/tests/support/run-script';
import type { Peer } from '@/tests/support/smtp-peer';

const PASSPHRASE = 'a passphrase kept apart 42';
const SMTP_USER = 'helpdesk@example.com';
const SMTP_PASSWORD = 'basic-smtp-password-7';
const CLIENT_SECRET = 'local-client-secret-value';
const TENANT = 'contoso.onmicrosoft.com';
const MAILBOX = 'helpdesk@contoso.example';

const source = { dataDir: process.env.DATA_DIR!, databaseUrl: process.env.DATABASE_URL! };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mailroom-backup-test-'));
let oauth: OAuthTestServer;
let peer: Peer;
let closePeers: () => Promise<void>;
let admin: { id: string; email: string };
/** the archive made while sends were running, shared by the refusal tests */
let archive: string;

/** A CLI's environment for a data directory: its own database and key files, nothing from this process. */
function envFor(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, 'mailroom.db')}`,
    MAILROOM_BACKUP_PASSPHRASE: PASSPHRASE,
    ...extra,
  };
  for (const name of ['APP_ENCRYPTION_KEY', 'APP_ENCRYPTION_KEY_PREVIOUS', 'NEXTAUTH_SECRET'] as const)
    if (!(name in extra)) delete env[name];
  return env;
}

beforeAll(async () => {
  process.env.TEST_SERVER_PER_MINUTE = '10000'; // the sends during the backup are many
  ({
    oauth,
    peer,
    close: closePeers,
  } = await startOAuthPeers({ clientSecret: CLIENT_SECRET, users: { [SMTP_USER]: SMTP_PASSWORD } }));
  admin = await createUser({ email: 'ann@example.com', name: 'Ann', password: 'ann password 123', role: 'admin' });
});
afterAll(async () => {
  await closePeers?.();
  rmSync(scratch, { recursive: true, force: true });
});

async function basicStore(name: string) {
  const store = await createStore({ name, type: 'active_directory' }, admin.email);
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true },
    auth: { smtpUsername: SMTP_USER, smtpPassword: { mode: 'set', value: SMTP_PASSWORD } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), admin.email);
  return store;
}

const deliveries = (file: string) => {
  const d = new Database(file, { readonly: true });
  try {
    return {
      count: d.prepare('SELECT count(*) FROM "DeliveryLog"').pluck().get() as number,
      integrity: d.pragma('integrity_check', { simple: true }),
    };
  } finally {
    d.close();
  }
};

describe('backup and restore of the embedded database', () => {
  it('backs up while sends run; the restored copy sends through its Basic password and OAuth refresh token', async () => {
    const basic = await basicStore('Contoso AD');
    const { store: entra, profile } = await microsoftOAuthStore(
      { oauth, smtpPort: peer.port, tenant: TENANT, clientSecret: CLIENT_SECRET, mailbox: MAILBOX, actor: admin.email },
      'Contoso Entra',
    );
    await connectOAuth(entra.id, admin.id, MAILBOX);
    const key = getEnv().APP_ENCRYPTION_KEY;

    // The console keeps sending (and writing delivery and activity rows) while another process backs up.
    let stop = false;
    let sent = 0;
    const sender = async () => {
      while (!stop) {
        const r = await testStore(basic.id, 'admin@example.com', admin);
        if (!r.ok) throw new Error(`send failed at ${r.failedStep}`);
        sent++;
      }
    };
    const senders = Promise.all([sender(), sender()]);
    while (sent < 4) await new Promise((r) => setTimeout(r, 20));
    archive = path.join(scratch, 'mailroom-during-sends.mrbak');
    const sentBefore = sent;
    const backup = await runScript('backup', ['--out', archive], envFor(source.dataDir));
    const sentDuring = sent - sentBefore;
    stop = true;
    await senders;
    expect(backup.code, backup.out).toBe(0);
    expect(sentDuring).toBeGreaterThan(0);
    expect(backup.stdout).toContain(`Backup written to ${archive}`);
    expect(backup.stdout).toContain(`keys: encryption key ${keyIdOf(Buffer.from(key, 'base64'))} and the NEXTAUTH secret`);
    const raw = readFileSync(archive);
    for (const secret of [key, SMTP_PASSWORD, getEnv().NEXTAUTH_SECRET]) expect(raw.includes(Buffer.from(secret))).toBe(false);
    expect(await db.backup.findFirst({ select: { fileName: true, keysIncluded: true } })).toEqual({
      fileName: path.basename(archive),
      keysIncluded: true,
    });

    const target = path.join(scratch, 'restored');
    const restore = await runScript('restore', ['--in', archive], envFor(target));
    expect(restore.code, restore.out).toBe(0);
    expect(restore.stdout).toContain('SMTP password: 1 of 1 decrypt');
    expect(restore.stdout).toContain('client secret: 1 of 1 decrypt');
    expect(restore.stdout).toContain('OAuth refresh token: 1 of 1 decrypt');
    expect(restore.stdout).toMatch(/All 4 stored secret\(s\) decrypt/); // + the cached access token
    expect(restore.out).not.toContain(SMTP_PASSWORD);
    expect(readdirSync(target).sort()).toEqual(['encryption.key', 'mailroom.db', 'nextauth.secret']);
    const copy = deliveries(path.join(target, 'mailroom.db'));
    expect(copy.integrity).toBe('ok');
    const finalCount = deliveries(path.join(source.dataDir, 'mailroom.db')).count;
    expect(copy.count).toBeGreaterThanOrEqual(sentBefore); // every send finished before the backup started
    expect(copy.count).toBeLessThan(finalCount); // sends went on while the archive was written

    // From here on this process is a console started on the restored directory; the original is gone.
    await closeDb();
    rmSync(source.dataDir, { recursive: true, force: true });
    process.env.DATA_DIR = target;
    process.env.DATABASE_URL = `file:${path.join(target, 'mailroom.db')}`;
    resetEnvCache();
    expect(getEnv().APP_ENCRYPTION_KEY).toBe(key);

    const viaBasic = await testStore(basic.id, 'admin@example.com', admin);
    expect(viaBasic).toMatchObject({ ok: true });
    expect(peer.messages.at(-1)?.user).toBe(SMTP_USER);

    // Expire the restored access token so the send has to redeem the restored refresh token.
    await db.notificationProfile.update({ where: { id: profile.id }, data: { accessTokenExpiresAt: new Date(0) } });
    const refreshes = oauth.counters.byGrant.refresh_token ?? 0;
    const viaOAuth = await testStore(entra.id, 'admin@example.com', admin, { tokenSource: getAccessToken });
    expect(viaOAuth).toMatchObject({ ok: true });
    expect(oauth.counters.byGrant.refresh_token).toBe(refreshes + 1);
    expect(peer.messages.at(-1)?.user).toBe(MAILBOX);

    const settings = await getSystemSettings();
    expect(settings.lastBackup).toMatchObject({
      fileName: path.basename(archive),
      keysIncluded: true,
      restoredAt: expect.any(Date),
    });
    expect(settings.keys[0]).toMatchObject({ id: keyIdOf(Buffer.from(key, 'base64')), role: 'current', secrets: 4 });
  });

  it('refuses a wrong passphrase and writes nothing', async () => {
    const target = path.join(scratch, 'wrong-passphrase');
    const r = await runScript(
      'restore',
      ['--in', archive],
      envFor(target, { MAILROOM_BACKUP_PASSPHRASE: 'not the passphrase at all' }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Wrong passphrase');
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a data directory that is not empty; --force moves the files it replaces aside', async () => {
    const target = path.join(scratch, 'occupied');
    mkdirSync(target);
    writeFileSync(path.join(target, 'mailroom.db'), 'the database someone still needs');
    const refused = await runScript('restore', ['--in', archive], envFor(target));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${target} is not empty (mailroom.db)`);
    expect(readFileSync(path.join(target, 'mailroom.db'), 'utf8')).toBe('the database someone still needs');

    const forced = await runScript('restore', ['--in', archive, '--force'], envFor(target));
    expect(forced.code, forced.out).toBe(0);
    const aside = readdirSync(target).find((f) => f.startsWith('before-restore-'));
    expect(aside).toBeDefined();
    expect(readFileSync(path.join(target, aside!, 'mailroom.db'), 'utf8')).toBe('the database someone still needs');
    expect(deliveries(path.join(target, 'mailroom.db')).integrity).toBe('ok');
  });

  it('an archive made with --no-key says so loudly and restores only with APP_ENCRYPTION_KEY set', async () => {
    const key = getEnv().APP_ENCRYPTION_KEY; // the restored directory's key (this process now runs on it)
    const noKey = path.join(scratch, 'no-key.mrbak');
    const made = await runScript('backup', ['--out', noKey, '--no-key'], envFor(getEnv().DATA_DIR));
    expect(made.code, made.out).toBe(0);
    expect(made.stderr).toContain('THIS ARCHIVE HOLDS NO ENCRYPTION KEY');
    expect(made.stderr).toContain(keyIdOf(Buffer.from(key, 'base64')));

    const target = path.join(scratch, 'no-key-restore');
    const refused = await runScript('restore', ['--in', noKey], envFor(target));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Set APP_ENCRYPTION_KEY to key ${keyIdOf(Buffer.from(key, 'base64'))}`);
    expect(existsSync(target)).toBe(false);

    // With the wrong key the files are restored, but the check names every secret that does not decrypt, by store.
    const wrongKey = await runScript(
      'restore',
      ['--in', noKey],
      envFor(path.join(scratch, 'no-key-wrong-key'), { APP_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('SMTP password: 0 of 1 decrypt (1 FAILED)');
    expect(wrongKey.stderr).toContain('4 stored secret(s) do not decrypt');
    expect(wrongKey.stderr).toContain(
      `"Contoso AD": SMTP password: Encrypted with key ${keyIdOf(Buffer.from(key, 'base64'))}, which is not configured`,
    );
    expect(wrongKey.out).not.toContain(SMTP_PASSWORD);

    const restored = await runScript('restore', ['--in', noKey], envFor(target, { APP_ENCRYPTION_KEY: key }));
    expect(restored.code, restored.out).toBe(0);
    expect(restored.stdout).toContain('from APP_ENCRYPTION_KEY');
    expect(readdirSync(target)).toEqual(['mailroom.db']); // no key file: the environment provides it
  });

  it('an archive from an older schema restores and is migrated; secrets under a previous key move to the current one', async () => {
    const older = path.join(scratch, 'older');
    mkdirSync(older);
    const url = `file:${path.join(older, 'mailroom.db')}`;
    // Older than the Backup table itself, so the backup cannot be listed on the Settings page yet.
    const { skipped } = await migrateBefore(url, 'backups');
    const [previousKey, currentKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    // Rows written as that older schema has them (the current client would name newer columns).
    const profile = { id: 'legacy-profile' };
    const sealed = encrypt(makeKeyring(previousKey), 'legacy-smtp-password', `${profile.id}|smtpPassword`);
    const legacy = new Database(path.join(older, 'mailroom.db'));
    const now = Date.now();
    legacy
      .prepare(
        `INSERT INTO "IdentityStore" ("id", "name", "type", "createdAt", "updatedAt") VALUES ('legacy-store', 'Legacy AD', 'other', ?, ?)`,
      )
      .run(now, now);
    legacy
      .prepare(
        `INSERT INTO "NotificationProfile" ("id", "storeId", "smtpPasswordEnc", "updatedAt") VALUES (?, 'legacy-store', ?, ?)`,
      )
      .run(profile.id, sealed, now);
    legacy.close();

    // Backed up mid-rotation: the secret still uses the previous key.
    const olderArchive = path.join(scratch, 'older.mrbak');
    const made = await runScript(
      'backup',
      ['--out', olderArchive],
      envFor(older, {
        APP_ENCRYPTION_KEY: currentKey,
        APP_ENCRYPTION_KEY_PREVIOUS: previousKey,
        NEXTAUTH_SECRET: 'n'.repeat(40),
      }),
    );
    expect(made.code, made.out).toBe(0);
    expect(made.stdout).toContain('Not shown on the Settings page: this database has migrations pending');

    const target = path.join(scratch, 'older-restored');
    const restored = await runScript('restore', ['--in', olderArchive], envFor(target));
    expect(restored.code, restored.out).toBe(0);
    expect(restored.stdout).toContain(`migrations applied since the backup: ${skipped.join(', ')}`);
    expect(restored.stdout).toContain('SMTP password: 1 of 1 decrypt');
    expect(restored.stdout).toContain(
      `Re-encrypted 1 secret(s) from older keys with key ${keyIdOf(Buffer.from(currentKey, 'base64'))}`,
    );

    const version = await runScript('admin', ['version'], envFor(target));
    expect(version.stdout).toMatch(/Schema: \S+ \(all \d+ migrations applied\)/);
    const restoredKey = readFileSync(path.join(target, 'encryption.key'), 'utf8').trim();
    expect(restoredKey).toBe(currentKey);
    const after = createDb(`file:${path.join(target, 'mailroom.db')}`);
    try {
      const row = await after.notificationProfile.findUniqueOrThrow({ where: { id: profile.id } });
      expect(decrypt(makeKeyring(currentKey), row.smtpPasswordEnc!, `${profile.id}|smtpPassword`)).toBe('legacy-smtp-password');
      expect(await after.backup.findFirst({ select: { restoredAt: true, schemaVersion: true } })).toMatchObject({
        restoredAt: expect.any(Date),
        schemaVersion: made.stdout.match(/schema (\S+)/)?.[1],
      });
    } finally {
      await after.$disconnect();
    }
  });

  it('PostgreSQL: backup and restore refuse and explain pg_dump and the keys', async () => {
    const env = envFor(path.join(scratch, 'pg'), {
      DATABASE_URL: 'postgresql://mailroom:pw@db.example.com:5432/mailroom',
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    const backup = await runScript('backup', ['--out', path.join(scratch, 'pg.mrbak')], env);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain('pg_dump');
    expect(backup.stderr).toContain('APP_ENCRYPTION_KEY (key ');
    expect(backup.stderr).not.toContain(':pw@');
    const restore = await runScript('restore', ['--in', archive], env);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain('pg_restore');
  });
});
