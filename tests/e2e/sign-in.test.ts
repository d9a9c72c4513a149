import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@/tests/e2e/support/app';
import { launchBrowser } from '@/tests/e2e/support/browser';
import { signIn as signInAt, signInOverHttp } from '@/tests/e2e/support/session';

const ADMIN = { email: 'admin@example.com', password: 'admin password 123' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1' };

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const signIn = (page: Page, who: { email: string; password: string }) => signInAt(page, app.url, who);

describe('first run, sign-in and roles', () => {
  it('sends a fresh install to /setup, creates the admin and opens the console', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.waitForURL(/\/setup$/);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    // The browser's validation loads with its first use: wait for the message.
    await expect.poll(() => page.locator('#email-error').textContent(), { timeout: 10_000 }).toContain('Enter an email address.');

    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.getByLabel('Name', { exact: true }).fill('Ada Admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill('something else entirely');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await expect.poll(() => page.locator('#confirmPassword-error').textContent(), { timeout: 10_000 }).toContain('do not match');

    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('Ada Admin');

    // The setup page is gone once an account exists.
    await page.goto(`${app.url}/setup`);
    await page.waitForURL(/\/(login)?$/);
    await page.close();
  });

  it('signs out, rejects a wrong password with a clear message, then signs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);

    await signIn(page, { email: ADMIN.email, password: 'not the password' });
    await page.locator('form [role="alert"]', { hasText: 'The email address or password is not correct.' }).waitFor();

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Identity Stores',
      'Queue',
      'Activity',
      'Alerts',
      'Users',
      'Settings',
      'Account',
    ]);

    await nav.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    const activity = await page.locator('table').textContent();
    expect(activity).toContain('Failed sign-in');
    expect(activity).toContain('Created the first admin');
    await context.close();
  });

  it('an admin adds a viewer, who sees the console read-only and cannot reach admin pages', async () => {
    const adminCtx = await browser.newContext();
    const page = await adminCtx.newPage();
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${app.url}/users`);
    await page.getByLabel('Email address').fill(VIEWER.email);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await page.getByLabel('Confirm password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(`Added ${VIEWER.email}.`).waitFor();
    await adminCtx.close();

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, VIEWER);
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Identity Stores',
      'Queue',
      'Activity',
      'Alerts',
      'Settings',
      'Account',
    ]);
    await viewer.goto(`${app.url}/users`);
    await viewer.getByText('Admins only').waitFor();
    expect(await viewer.getByRole('button', { name: 'Add user' }).count()).toBe(0);
    await viewerCtx.close();
  });

  it('a user changes their own password: wrong current password refused, every session ended, only the new one works', async () => {
    const [ctxA, ctxB] = await Promise.all([browser.newContext(), browser.newContext()]);
    const [a, b] = await Promise.all([ctxA.newPage(), ctxB.newPage()]);
    for (const p of [a, b]) {
      await signIn(p, VIEWER);
      await p.getByRole('heading', { name: 'Overview' }).waitFor();
    }
    await a.getByTestId('current-user').click();
    await a.getByRole('heading', { name: 'Account' }).waitFor();
    const NEW = 'a brand new viewer password';
    await a.getByLabel('Current password').fill('not my password');
    await a.getByLabel('New password', { exact: true }).fill(NEW);
    await a.getByLabel('Confirm new password').fill(NEW);
    await a.getByRole('button', { name: 'Change password' }).click();
    await a.locator('#currentPassword-error', { hasText: 'The current password is not correct.' }).waitFor();
    expect(await a.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');

    await a.getByLabel('Current password').fill(VIEWER.password);
    await a.getByRole('button', { name: 'Change password' }).click();
    await a.waitForURL(/\/login\?password=changed$/);
    await a.getByText('Your password was changed and every session was signed out.').waitFor();

    // The other browser's session was signed in before the change: it is over too.
    await b.goto(`${app.url}/stores`);
    await b.waitForURL(/\/login/);

    await signIn(a, VIEWER);
    await a.locator('form [role="alert"]', { hasText: 'The email address or password is not correct.' }).waitFor();
    await signIn(a, { email: VIEWER.email, password: NEW });
    await a.getByRole('heading', { name: 'Overview' }).waitFor();
    await Promise.all([ctxA.close(), ctxB.close()]);
  });

  it("an admin resets a viewer's forgotten password on the Users page", async () => {
    const adminCtx = await browser.newContext();
    const page = await adminCtx.newPage();
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${app.url}/users`);
    const row = page.getByRole('listitem').filter({ hasText: VIEWER.email });
    await row.getByRole('button', { name: 'Reset password' }).click();
    const reset = row.getByRole('form', { name: `New password for ${VIEWER.email}` });
    await reset.getByLabel('New password', { exact: true }).fill('short');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByText(/Use at least \d+ characters/).waitFor();
    const SET = 'set by the admin 2026';
    await reset.getByLabel('New password', { exact: true }).fill(SET);
    await reset.getByLabel('Confirm new password').fill(SET);
    await reset.getByRole('button', { name: 'Set password' }).click();
    await row.getByText(`New password set for ${VIEWER.email}; their sessions were signed out.`).waitFor();
    await adminCtx.close();

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, { email: VIEWER.email, password: SET });
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewerCtx.close();
  });

  it('a callbackUrl that points off the console still lands on the console after sign-in', async () => {
    for (const callbackUrl of ['/%5Cevil.example/x', '/%09/evil.example/x']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.url}/login?callbackUrl=${callbackUrl}`);
      await page.getByLabel('Email address').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      expect(new URL(page.url()).origin, callbackUrl).toBe(app.url);
      await context.close();
    }
  });

  it('with JavaScript off: the page says the console needs it, and a submitted form puts nothing in the URL', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(`${r.method()} ${r.url()}`));
    await page.goto(`${app.url}/login`);
    const notice = page.getByRole('alert').filter({ hasText: 'console needs JavaScript' });
    await notice.waitFor();
    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    const posted = page.waitForRequest((r) => r.method() === 'POST');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await posted).url()).toBe(`${app.url}/login`);
    await page.waitForLoadState('load');
    await notice.waitFor();
    expect(page.url()).toBe(`${app.url}/login`);
    for (const password of [ADMIN.password, encodeURIComponent(ADMIN.password), ADMIN.password.replace(/ /g, '+')]) {
      expect(urls.join('\n')).not.toContain(password);
    }
    expect((await context.cookies()).map((c) => c.name).filter((n) => n.includes('session-token'))).toEqual([]);
    await context.close();
  });

  it('sign-out ends the session on the server: a copy of the cookie stops working too', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const copied = await context.cookies();
    const cookie = copied.map((c) => `${c.name}=${c.value}`).join('; ');
    const other = await browser.newContext();
    await other.addCookies(copied);
    const thief = await other.newPage();
    await thief.goto(`${app.url}/users`);
    await thief.getByRole('button', { name: 'Add user' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await thief.goto(`${app.url}/users`);
    await thief.waitForURL(/\/login/);
    const res = await fetch(`${app.url}/api/stores/any/test`, {
      method: 'POST',
      headers: { cookie, origin: app.url, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'a@example.com' }),
    });
    expect(res.status).toBe(401);
    await Promise.all([context.close(), other.close()]);
  });

  // Last in this file's sign-ins: it leaves the admin locked out at 127.0.0.1.
  it('the sign-in limit and the activity log use the connecting address, whatever X-Forwarded-For claims', async () => {
    for (let i = 0; i < 12; i++) {
      const { error } = await signInOverHttp(
        app.url,
        { email: ADMIN.email, password: `wrong ${i}` },
        { headers: { 'x-forwarded-for': `198.51.100.${i}` } },
      );
      expect(error).toMatch(i < 10 ? /^CredentialsSignin$/ : /^Too many failed sign-in attempts\. Try again in 1[45] minutes\.$/);
    }
    // The admin at another address signs in: the attacker's failures are not charged to them.
    const { error, cookie } = await signInOverHttp(app.url, ADMIN, { localAddress: '127.0.0.2' });
    expect(error).toBeNull();

    const context = await browser.newContext();
    await context.addCookies(
      cookie.split('; ').map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url: app.url })),
    );
    const page = await context.newPage();
    await page.goto(`${app.url}/activity`);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    // Loopback reads "this server"; the address itself is the entry's title.
    const addresses = await page
      .getByTestId('activity-address')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(addresses).toContain('127.0.0.1');
    expect(addresses).toContain('127.0.0.2');
    expect(addresses.join(' ')).not.toContain('198.51.100.');
    expect((await page.locator('table').first().textContent()) ?? '').not.toContain('198.51.100.');
    await context.close();
  });

  it('anonymous requests are sent to sign-in; health and security headers are in place', async () => {
    const res = await fetch(`${app.url}/activity`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('/login?callbackUrl=%2Factivity');

    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: { provider: 'sqlite', status: 'ok' } });
    expect(health.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(health.headers.get('x-powered-by')).toBeNull();
    // Served over http here: no HSTS (it is set only when APP_URL is https).
    expect(health.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('served behind https', () => {
  it('sends HSTS when APP_URL is https', async () => {
    const secure = await startApp({ APP_URL: 'https://mailroom.example.test' });
    try {
      const res = await fetch(`${secure.url}/login`, { redirect: 'manual' });
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await secure.stop();
    }
  });
});
