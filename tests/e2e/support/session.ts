import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Agent, fetch as undiciFetch } from 'undici';
import { startApp, type RunningApp } from '@/tests/e2e/support/app';
import { launchBrowser, recordCspViolations } from '@/tests/e2e/support/browser';

export const ADMIN = { email: 'admin@example.com', password: 'admin password 123', name: 'Ada Admin' };

/**
 * Creates the first admin through /setup (fresh database) and returns the signed-in page, and the
 * Content-Security-Policy violations its context reports from then on.
 */
export async function setupAdmin(
  browser: Browser,
  url: string,
  contextOptions: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext(contextOptions);
  const cspViolations = await recordCspViolations(context);
  const page = await context.newPage();
  // Filled only once the page's scripts are in: typed before hydration, the values would not reach the form.
  await page.goto(`${url}/setup`, { waitUntil: 'networkidle' });
  await page.getByLabel('Email address').fill(ADMIN.email);
  await page.getByLabel('Name', { exact: true }).fill(ADMIN.name);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  // The first Overview of a new console can be slow on PostgreSQL under CI load (pg-boss sets up its schema then).
  await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 60_000 });
  return { context, page, cspViolations };
}

/** Fills in the sign-in page and submits it (the caller waits for what should follow). */
export async function signIn(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Adds a viewer through the Users page as the signed-in admin on `page`. */
export async function addViewer(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/users`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Confirm password').fill(who.password);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText(`Added ${who.email}.`).waitFor();
}

/** Collects the text of every response the page receives (HTML, RSC payloads, JSON, JS). */
export function recordResponses(page: Page): { bodies: string[]; done: () => Promise<void> } {
  const bodies: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    pending.push(
      res
        .text()
        .then((t) => void bodies.push(t))
        .catch(() => undefined),
    );
  });
  return { bodies, done: () => Promise.all(pending).then(() => undefined) };
}

/** Creates an identity store on the Stores page and waits for its Notifications page. */
export async function createStore(page: Page, appUrl: string, name: string): Promise<void> {
  await page.goto(`${appUrl}/stores`);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create identity store' }).click();
  await page.waitForURL(/\/notifications$/);
}

/** The SMTP Server section pointed at a local STARTTLS peer (self-signed certificate), sending from `from`. */
export async function fillLocalStarttls(page: Page, port: number, from: string): Promise<void> {
  await page.getByLabel('SMTP Server', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Security mode').selectOption('starttls');
  await page.getByLabel('Port', { exact: true }).fill(String(port));
  await page.getByLabel('Allow self-signed certificate').check();
  await page.getByLabel('From email address').fill(from);
}

/** The Notifications page filled for a local STARTTLS peer with Basic AUTH and To recipients, then saved. */
export async function saveLocalSmtpSettings(
  page: Page,
  peer: { port: number; user: string; password: string; to: string },
): Promise<void> {
  await fillLocalStarttls(page, peer.port, peer.user);
  await page.getByLabel('Use SMTP user authentication').check();
  await page.getByLabel('SMTP username').fill(peer.user);
  await page.getByLabel('SMTP password').fill(peer.password);
  await page.getByLabel('To', { exact: true }).fill(peer.to);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Notification settings saved.').waitFor();
}

/** Adds an account on the Users page (as the signed-in admin) and waits for the confirmation. */
export async function addUser(page: Page, appUrl: string, who: { email: string; password: string; role: 'admin' | 'viewer' }) {
  await page.goto(`${appUrl}/users`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Role').selectOption(who.role);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Confirm password').fill(who.password);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText(`Added ${who.email}.`).waitFor();
}

/**
 * Test Server → the Test Notification dialog → Send test, to `to` or to the address the dialog suggests;
 * returns the dialog once its result shows, and the address it was sent to.
 */
export async function sendTestEmail(page: Page, to?: string): Promise<{ dialog: Locator; recipient: string }> {
  await page.getByRole('button', { name: 'Test Server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Test Notification' });
  const field = dialog.getByLabel('Send the test email to');
  if (to !== undefined) await field.fill(to);
  const recipient = await field.inputValue();
  await dialog.getByRole('button', { name: 'Send test', exact: true }).click();
  await dialog.getByTestId('test-result').waitFor();
  return { dialog, recipient };
}

export type SignedInConsole = {
  app: RunningApp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
};

/**
 * The production build on a fresh database, Chromium, and the first admin created through /setup
 * and signed in. `close()` fails when any page of the admin's context broke the Content-Security-Policy.
 */
export async function openConsole(
  env: Record<string, string> = {},
  opts: { port?: number; contextOptions?: Parameters<Browser['newContext']>[0] } = {},
): Promise<SignedInConsole> {
  const [app, browser] = await Promise.all([startApp(env, opts.port), launchBrowser()]);
  const { context, page, cspViolations } = await setupAdmin(browser, app.url, opts.contextOptions);
  return {
    app,
    browser,
    context,
    page,
    close: async () => {
      await context.close();
      await browser.close();
      await app.stop();
      if (cspViolations.length) throw new Error(`Content-Security-Policy violations:\n${cspViolations.join('\n')}`);
    },
  };
}

/**
 * Signs in the way the sign-in page does, over plain HTTP (next-auth's CSRF token, then the
 * credentials callback), from `localAddress` when given (any 127.x.y.z is this machine on Linux).
 * Returns next-auth's error (the page's message or "CredentialsSignin"), or the session cookie.
 */
export async function signInOverHttp(
  appUrl: string,
  who: { email: string; password: string },
  opts: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<{ error: string | null; cookie: string }> {
  const dispatcher = new Agent(opts.localAddress ? { localAddress: opts.localAddress } : {});
  try {
    const csrf = await undiciFetch(`${appUrl}/api/auth/csrf`, { dispatcher });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await undiciFetch(`${appUrl}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      dispatcher,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: appUrl,
        cookie: cookiesOf(csrf.headers),
        ...opts.headers,
      },
      body: new URLSearchParams({ email: who.email, password: who.password, csrfToken, json: 'true' }).toString(),
    });
    const { url } = (await res.json()) as { url: string };
    return { error: new URL(url).searchParams.get('error'), cookie: cookiesOf(res.headers) };
  } finally {
    await dispatcher.close();
  }
}

/** `name=value; …` of every Set-Cookie in `headers`, for a Cookie request header. */
const cookiesOf = (headers: { getSetCookie(): string[] }): string =>
  headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
