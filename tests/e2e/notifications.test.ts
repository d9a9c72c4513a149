import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '@/tests/e2e/support/app';
import { hydrated, NOTIFICATIONS_FORM } from '@/tests/e2e/support/page-weight';
import {
  addUser,
  createStore,
  fillLocalStarttls,
  openConsole,
  recordResponses,
  signIn,
  type SignedInConsole,
} from '@/tests/e2e/support/session';

const SECRET = 'S3cret-E2E-Passw0rd!';

let ui: SignedInConsole;
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ui = await openConsole();
  ({ app, browser, page } = ui);
});
afterAll(async () => {
  await ui?.close();
});

const open = async (section: string) => {
  const details = page.locator(`details#${section}`);
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').first().click();
};

describe('Notifications page', () => {
  it('creates a store, fills every section, saves, and shows the same values after a reload; the secret never leaves the server', async () => {
    const responses = recordResponses(page);
    await page.goto(`${app.url}/stores`);
    await page.getByLabel('Name').fill('Contoso AD');
    await page.getByLabel('Type').selectOption('active_directory');
    await page.getByRole('button', { name: 'Create identity store' }).click();
    await page.waitForURL(/\/stores\/[^/]+\/notifications$/);
    const save = page.getByRole('button', { name: 'Save', exact: true });
    expect(await save.isDisabled()).toBe(true);

    // SMTP Server: the preset fills host, port and mode; then the admin adjusts.
    await page.getByLabel('Provider preset').selectOption('microsoft365');
    expect(await page.getByLabel('SMTP Server', { exact: true }).inputValue()).toBe('smtp.office365.com');
    expect(await page.getByLabel('Security mode').inputValue()).toBe('starttls');
    await page.getByLabel('Security mode').selectOption('tls');
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('465');
    await page.getByLabel('Security mode').selectOption('starttls');
    await page.getByLabel('SMTP Server', { exact: true }).fill('mail.bücher.example');
    await page.getByLabel('From email address').fill('helpdesk@contoso.example');
    await page.getByLabel('Display name').fill('Contoso Helpdesk');
    await page.getByLabel('Port', { exact: true }).fill('2525');

    // Authentication: Basic.
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /Basic/ }).click();
    await page.getByLabel('SMTP username').fill('helpdesk@contoso.example');
    await page.getByLabel('SMTP password').fill(SECRET);

    // Recipients with a bad CC address: nothing is saved, the error sits under the field.
    await page.getByLabel('To', { exact: true }).fill('it@contoso.example; ops@contoso.example');
    await page.getByLabel('CC', { exact: true }).fill('audit@contoso.example; bob@');
    await page.getByLabel('Manager(s) for their direct reports').check();

    await open('password-expiry');
    await page.getByLabel('Portal URL').fill('https://portal.contoso.example/');
    await open('membership-life-cycle');
    await page.getByLabel('On joining group').check();
    await page.getByLabel('Days before user is going to leave the group').check();
    await page.getByLabel('Days (X)').first().fill('5');
    await open('managed-by-life-cycle');
    await page.getByLabel('Same as membership life cycle').uncheck();
    await page.getByLabel('Object is removed as additional owner/manager', { exact: true }).check();

    await save.click();
    await page.getByText('Nothing was saved: one field needs attention.').waitFor();
    expect(await page.locator('#recipients-cc-error').textContent()).toBe('"bob@" is not a valid email address.');
    // Focus moves once the message is on screen (focusFirstInvalid runs after the render): wait for it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5_000 }).toBe('recipients-cc');

    await page.getByLabel('CC', { exact: true }).fill('audit@contoso.example');
    await save.click();
    await page.getByText('Notification settings saved.').waitFor();
    expect(await save.isDisabled()).toBe(true);

    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByLabel('SMTP Server', { exact: true }).inputValue()).toBe('mail.xn--bcher-kva.example');
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('2525');
    expect(await page.getByLabel('Display name').inputValue()).toBe('Contoso Helpdesk');
    expect(await page.getByLabel('SMTP username').inputValue()).toBe('helpdesk@contoso.example');
    expect(await page.getByTestId('auth-smtpPassword-value-status').textContent()).toMatch(/Set on \d{4}-\d\d-\d\d/);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('it@contoso.example; ops@contoso.example');
    expect(await page.getByLabel('CC', { exact: true }).inputValue()).toBe('audit@contoso.example');
    expect(await page.getByLabel('Manager(s) for their direct reports').isChecked()).toBe(true);
    await open('password-expiry');
    expect(await page.getByLabel('Portal URL').inputValue()).toBe('https://portal.contoso.example/');
    await open('membership-life-cycle');
    expect(await page.getByLabel('On joining group').isChecked()).toBe(true);
    expect(await page.getByLabel('Days (X)').first().inputValue()).toBe('5');
    await open('managed-by-life-cycle');
    expect(await page.getByLabel('Same as membership life cycle').isChecked()).toBe(false);
    expect(await page.getByLabel('Object is removed as additional owner/manager', { exact: true }).isChecked()).toBe(true);

    // Changing the server warns that the stored password will be cleared.
    await page.getByLabel('SMTP Server', { exact: true }).fill('smtp.other.example');
    await page.getByText('Saving will clear the stored SMTP password because the SMTP server changed').waitFor();

    await responses.done();
    expect(responses.bodies.length).toBeGreaterThan(5);
    expect(responses.bodies.filter((b) => b.includes(SECRET))).toEqual([]);
    expect(await page.content()).not.toContain(SECRET);
  });

  it('a save that would clear the stored password says so beside Save and takes it again there', async () => {
    await page.getByRole('button', { name: 'Discard changes' }).click(); // what the previous test left unsaved
    await createStore(page, app.url, 'Fabrikam');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await page.getByLabel('SMTP Server', { exact: true }).fill('smtp.fabrikam.example');
    await page.getByLabel('Security mode').selectOption('starttls');
    await page.getByLabel('From email address').fill('helpdesk@fabrikam.example');
    await page.getByLabel('Use SMTP user authentication').check();
    await page.getByRole('radio', { name: /Basic/ }).click();
    await page.getByLabel('SMTP username').fill('helpdesk@fabrikam.example');
    await page.getByLabel('SMTP password').fill(SECRET);
    await save.click();
    await page.getByText('Notification settings saved.').waitFor();

    // Mailroom's own advice for a blocked 587 is implicit TLS: the port follows to 465, which the password was not entered for.
    await page.getByLabel('Security mode').selectOption('tls');
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('465');
    const saveBar = page.locator('div.sticky').filter({ has: save });
    const consequences = saveBar.getByTestId('save-consequences');
    await consequences
      .getByText('Saving clears the stored SMTP password: the port changed. Enter it again to keep using it:')
      .waitFor();
    await consequences.getByLabel('SMTP password (entered again)').fill(SECRET);
    await consequences.getByText('The SMTP password is replaced by the one entered (the port changed).').waitFor();
    await save.click();
    await page.getByText('Notification settings saved.').waitFor();
    expect(await page.getByText('was cleared').count()).toBe(0);
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByTestId('auth-smtpPassword-value-status').textContent()).toMatch(/Set on \d{4}-\d\d-\d\d/);

    // "None" keeps the password but would not send it unencrypted: the bar says so and offers the field.
    await page.getByLabel('Security mode').selectOption('none');
    await page.getByLabel('Port', { exact: true }).fill('465');
    await consequences
      .getByText('The stored SMTP password will not be sent once security is set to "None". Enter it again to send it anyway:')
      .waitFor();
    expect(await consequences.getByLabel('SMTP password (entered again)').count()).toBe(1);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await saveBar.getByTestId('save-consequences').count()).toBe(0);
  });

  it('the OAuth tile rewrites endpoints from the tenant and shows the redirect URI to register', async () => {
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByRole('radio', { name: /OAuth 2\.0/ }).click();
    await page.getByLabel('Provider', { exact: true }).selectOption('microsoft');
    await page.getByLabel('Tenant (directory) ID').fill('contoso.onmicrosoft.com');
    expect(await page.getByLabel('Token Endpoint').inputValue()).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    expect(await page.getByLabel('Scope', { exact: true }).inputValue()).toBe(
      'https://outlook.office.com/SMTP.Send offline_access',
    );
    expect(await page.getByLabel('Redirect URI', { exact: true }).inputValue()).toBe(`${app.url}/api/oauth/callback`);
    await page.getByLabel('Grant type').selectOption('client_credentials');
    expect(await page.getByLabel('Scope', { exact: true }).inputValue()).toBe('https://outlook.office365.com/.default');
    await page.getByLabel('Provider', { exact: true }).selectOption('google');
    expect(await page.getByLabel('Grant type').inputValue()).toBe('authorization_code');
    expect(await page.getByLabel('Scope', { exact: true }).inputValue()).toBe('https://mail.google.com/');
  });
});

describe('Notifications page for a viewer', () => {
  it('is read-only: fields disabled, no Save, no Test Server, no secret', async () => {
    page.on('dialog', (d) => void d.accept()); // the previous test left unsaved changes
    await addUser(page, app.url, { email: 'viewer@example.com', password: 'viewer password 1', role: 'viewer' });
    await page.goto(`${app.url}/stores`);
    const storeHref = await page.getByRole('link', { name: 'Contoso AD' }).getAttribute('href');

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, app.url, { email: 'viewer@example.com', password: 'viewer password 1' });
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewer.goto(`${app.url}${storeHref}`, { waitUntil: 'networkidle' });
    await viewer.getByText('You have read-only access (viewer).').waitFor();
    expect(await viewer.getByLabel('SMTP Server', { exact: true }).isDisabled()).toBe(true);
    expect(await viewer.getByLabel('SMTP Server', { exact: true }).inputValue()).toBe('mail.xn--bcher-kva.example');
    expect(await viewer.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Test Server' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Replace' }).count()).toBe(0);
    expect(await viewer.content()).not.toContain(SECRET);

    await viewer.getByRole('link', { name: 'API access' }).click();
    await viewer.getByText('Only admins can create or revoke keys.').waitFor();
    expect(await viewer.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
    await viewerCtx.close();
  });
});

describe('Notifications page before its code has arrived', () => {
  it('typed key by key once alive, every character stays and the field keeps the focus', async () => {
    const typing = await ui.context.newPage();
    await createStore(typing, app.url, 'Key by key');
    await typing.reload({ waitUntil: 'networkidle' });
    const field = typing.getByLabel('Display name');
    await field.hover();
    await hydrated(typing, NOTIFICATIONS_FORM);
    await field.click();
    // The first keystroke makes the form "edited", which loads what saving would do.
    await typing.keyboard.type('Key by key', { delay: 20 });
    expect(await field.inputValue()).toBe('Key by key');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await typing.getByRole('button', { name: 'Discard changes' }).click();
    await typing.close();
  });

  it('keeps what the admin typed, chose, ticked and clicked before the form came to life, and saves it', async () => {
    // A saved store, so that Test Server can be clicked.
    const setup = await ui.context.newPage();
    await createStore(setup, app.url, 'Early bird');
    await fillLocalStarttls(setup, 2525, 'helpdesk@early.example');
    await setup.getByRole('button', { name: 'Save', exact: true }).click();
    await setup.getByText('Notification settings saved.').waitFor();
    const url = setup.url();
    await setup.close();

    // The form's code (and every other script asked for after the page has loaded) is held back.
    const context = await browser.newContext({ storageState: await ui.context.storageState() });
    const early = await context.newPage();
    let holding = false;
    let held = 0;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await early.route('**/_next/static/chunks/**', async (route) => {
      if (holding) {
        held += 1;
        await released;
      }
      await route.continue();
    });
    await early.goto(url, { waitUntil: 'networkidle' });
    holding = true;

    await early.getByLabel('Display name').fill('Early Helpdesk');
    // In this order, the port the admin typed wins over the one the mode brings (465).
    await early.getByLabel('Security mode').selectOption('tls');
    await early.getByLabel('Port', { exact: true }).fill('587');
    await early.getByLabel('Manager(s) for their direct reports').check();
    await early.getByRole('button', { name: 'Test Server' }).click();
    await expect.poll(() => held).toBeGreaterThan(0);
    // Not alive yet: the page still says what the server rendered.
    expect(await early.getByText('You have unsaved changes.').count()).toBe(0);

    release();
    // The click on Test Server is made again once it has a handler; unsaved changes make it offer to save first.
    const dialog = early.getByRole('dialog', { name: 'Test Notification' });
    await dialog.getByRole('button', { name: 'Save and test' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Focus went to the button as with any click, so closing the dialog gives it back there.
    const testServer = early.getByRole('button', { name: 'Test Server' });
    await expect.poll(() => testServer.evaluate((b) => b === document.activeElement)).toBe(true);
    await early.getByText('You have unsaved changes.').waitFor();
    expect(await early.getByLabel('Display name').inputValue()).toBe('Early Helpdesk');
    expect(await early.getByLabel('Security mode').inputValue()).toBe('tls');
    expect(await early.getByLabel('Port', { exact: true }).inputValue()).toBe('587');
    expect(await early.getByLabel('Manager(s) for their direct reports').isChecked()).toBe(true);

    await early.getByRole('button', { name: 'Save', exact: true }).click();
    await early.getByText('Notification settings saved.').waitFor();
    await early.reload({ waitUntil: 'networkidle' });
    expect(await early.getByLabel('Display name').inputValue()).toBe('Early Helpdesk');
    expect(await early.getByLabel('Security mode').inputValue()).toBe('tls');
    expect(await early.getByLabel('Port', { exact: true }).inputValue()).toBe('587');
    expect(await early.getByLabel('Manager(s) for their direct reports').isChecked()).toBe(true);
    await context.close();
  });
});
