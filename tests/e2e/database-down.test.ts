/**
 * docs/security.md#database-outage: the database becomes unavailable while an admin works. Pages show an error
 * page, /api/health says 503, a save is refused with a plain message and writes nothing, and
 * the console recovers by itself when the database is back. PostgreSQL, because its outage can
 * be switched on and off from outside the app process.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdmin, postgresUnavailable } from '@/tests/support/postgres';
import type { RunningApp } from '@/tests/e2e/support/app';
import { ADMIN, createStore, openConsole, type SignedInConsole } from '@/tests/e2e/support/session';

const SMTP_PASSWORD = 'outage-smtp-password';
const unavailable = await postgresUnavailable('the database outage end-to-end test');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let ui: SignedInConsole;
let app: RunningApp;
let browser: Browser;
let page: Page;

/** Refuses new connections to the app's database and ends the open ones (the app's pool). */
async function setDatabaseUp(up: boolean): Promise<void> {
  expect(await pgAdmin(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS ${up}`)).toBeNull();
  if (!up)
    expect(await pgAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}'`)).toBeNull();
}

async function health(): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${app.url}/api/health`);
  return { status: res.status, body: await res.json() };
}

describe.skipIf(unavailable)('the database becomes unavailable', () => {
  beforeAll(async () => {
    database = await createTestDatabase('mailroom_e2e_outage');
    ui = await openConsole({
      DATABASE_URL: database.url,
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NEXTAUTH_SECRET: randomBytes(48).toString('base64'),
    });
    ({ app, browser, page } = ui);
  });
  afterAll(async () => {
    await ui?.close();
    if (database) {
      await pgAdmin(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS true`);
      await database.drop();
    }
  });

  it('shows an error page and 503, refuses a save without writing, and recovers when the database is back', async () => {
    await createStore(page, app.url, 'Outage');
    const storeUrl = page.url();
    const host = page.getByLabel('SMTP Server', { exact: true });
    await host.fill('smtp.example.com');
    await page.getByLabel('From email address').fill('helpdesk@example.com');
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByLabel('SMTP username').fill('helpdesk@example.com');
    await page.getByLabel('SMTP password').fill(SMTP_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: { provider: 'postgresql', status: 'ok' } } });

    // A second admin has the sign-in page open when the database goes away.
    const other = await browser.newContext();
    const signIn = await other.newPage();
    await signIn.goto(`${app.url}/login`);

    await setDatabaseUp(false);
    await signIn.getByLabel('Email address').fill(ADMIN.email);
    await signIn.getByLabel('Password').fill(ADMIN.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByText('The database is not answering, so nobody can sign in right now.', { exact: false }).waitFor();
    await other.close();

    const storeId = /\/stores\/([^/]+)\//.exec(storeUrl)?.[1] ?? '';
    const test = await page.request.post(`${app.url}/api/stores/${storeId}/test`, {
      data: { to: 'someone@example.com' },
      headers: { origin: app.url },
    });
    expect(test.status()).toBe(503);
    expect(((await test.json()) as { error: { message: string } }).error.message).toMatch(/^The database is not answering/);

    await host.fill('smtp.changed.example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The database is not answering, so nothing was changed.', { exact: false }).waitFor();
    expect(await health()).toEqual({
      status: 503,
      body: { status: 'error', database: { provider: 'postgresql', status: 'unavailable' } },
    });

    await page.goto(storeUrl);
    await page.getByRole('heading', { name: 'Mailroom could not load this page' }).waitFor();
    expect(await page.content()).not.toContain(SMTP_PASSWORD);

    await setDatabaseUp(true);
    expect((await health()).status).toBe(200);
    await page.goto(storeUrl);
    expect(await page.getByLabel('SMTP Server', { exact: true }).inputValue()).toBe('smtp.example.com');
    await page
      .getByText(/^Set on /)
      .first()
      .waitFor();

    await page.getByLabel('SMTP Server', { exact: true }).fill('smtp.recovered.example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Notification settings saved.').waitFor();
  });
});
