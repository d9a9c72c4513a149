/**
 * The Settings page shows the last backup (made by `npm run backup` while the console runs), the
 * versions, the database and the key ids, never a secret; a console started on the restored archive
 * shows where it came from.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '@/lib/crypto/cipher';
import { runScript } from '@/tests/support/run-script';
import { startApp, type RunningApp } from '@/tests/e2e/support/app';
import { ADMIN, openConsole, recordResponses, signIn, type SignedInConsole } from '@/tests/e2e/support/session';

const PASSPHRASE = 'settings page passphrase 9';
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1' };
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mailroom-settings-e2e-'));
const archive = path.join(scratch, 'nightly.mrbak');
let c: SignedInConsole;
let restored: RunningApp | undefined;

const cliEnv = (app: RunningApp, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATA_DIR: app.dataDir,
  DATABASE_URL: app.databaseUrl,
  MAILROOM_BACKUP_PASSPHRASE: PASSPHRASE,
  ...extra,
});

beforeAll(async () => {
  c = await openConsole();
});
afterAll(async () => {
  await restored?.stop();
  await c?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Settings', () => {
  it('says "never backed up" with the command, then shows the backup made while the console runs; no secret is sent', async () => {
    const { page, app } = c;
    const key = readFileSync(path.join(app.dataDir, 'encryption.key'), 'utf8').trim();
    const nextauthSecret = readFileSync(path.join(app.dataDir, 'nextauth.secret'), 'utf8').trim();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const lastBackup = page.getByTestId('last-backup');
    expect(await lastBackup.textContent()).toContain('Never backed up');
    expect(await lastBackup.textContent()).toContain('npm run backup -- --out');
    const main = page.locator('main');
    expect(await main.textContent()).toContain(`Mailroom${pkg.version}`);
    expect(await main.textContent()).toContain('Embedded SQLite');
    expect(await main.textContent()).toMatch(/Schema\d{14}_\w+ \(\d+ migrations applied\)/);
    expect(await main.textContent()).toContain(`${keyIdOf(Buffer.from(key, 'base64'))}current (encrypts new secrets)`);

    const backup = await runScript('backup', ['--out', archive], cliEnv(app));
    expect(backup.code, backup.out).toBe(0);

    const responses = recordResponses(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const shown = await lastBackup.textContent();
    expect(shown).toContain('nightly.mrbak');
    expect(shown).toMatch(/Last backup\d{4}-\d\d-\d\d \d\d:\d\d UTC \(today\)/);
    expect(shown).toContain('included (encrypted with the passphrase)');
    await responses.done();
    const everything = responses.bodies.join('\n');
    expect(everything).toContain('nightly.mrbak');
    for (const secret of [key, nextauthSecret, PASSPHRASE]) expect(everything).not.toContain(secret);
  });

  it('a viewer can read it', async () => {
    const made = await runScript(
      'admin',
      ['create', '--email', VIEWER.email, '--password', VIEWER.password, '--role', 'viewer'],
      cliEnv(c.app),
    );
    expect(made.code, made.out).toBe(0);
    const context = await c.browser.newContext();
    const viewer = await context.newPage();
    await signIn(viewer, c.app.url, VIEWER);
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    expect(await viewer.getByTestId('last-backup').textContent()).toContain('nightly.mrbak');
    await context.close();
  });

  it('a console started on the restored archive signs the same admin in and shows the backup it came from', async () => {
    const target = path.join(scratch, 'restored');
    const restore = await runScript('restore', ['--in', archive], {
      ...process.env,
      DATA_DIR: target,
      DATABASE_URL: `file:${path.join(target, 'mailroom.db')}`,
      MAILROOM_BACKUP_PASSPHRASE: PASSPHRASE,
    });
    expect(restore.code, restore.out).toBe(0);
    restored = await startApp({ DATA_DIR: target, DATABASE_URL: `file:${path.join(target, 'mailroom.db')}` });
    const context = await c.browser.newContext();
    const page = await context.newPage();
    await signIn(page, restored.url, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${restored.url}/settings`);
    const shown = await page.getByTestId('last-backup').textContent();
    expect(shown).toContain('nightly.mrbak');
    expect(shown).toMatch(/Restoredthis database was restored from it on \d{4}-\d\d-\d\d/);
    await context.close();
  });
});
