// Users (ADMIN), the audit log, and what other roles see: a VIEWER has no change buttons and no
// administration screens, and the gateway refuses the call anyway.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;
const VIEWER = { username: 'vera', password: 'reads the gauges only' };

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  ws = await startWorkstation();
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Users');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

test('creates a user, changes the role, locks, unlocks and resets the password', async () => {
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByRole('textbox', { name: 'Username', exact: true }).fill(VIEWER.username);
  await dialog.getByRole('textbox', { name: 'Full name', exact: true }).fill('Vera Viewer');
  await dialog.getByRole('textbox', { name: 'Temporary password', exact: true }).fill(VIEWER.password);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('user-vera');
  await expect(row).toContainText('Vera Viewer');

  await row.getByRole('combobox').click();
  await page.getByRole('option', { name: 'Viewer' }).click();
  await expect(page.getByRole('status')).toContainText('vera is now Viewer.');

  await page.getByRole('button', { name: 'Actions for vera' }).click();
  await page.getByRole('menuitem', { name: 'Lock' }).click();
  await page.getByRole('dialog', { name: 'Lock vera?' }).getByRole('button', { name: 'Lock' }).click();
  await expect(row).toContainText('Locked');
  await page.getByRole('button', { name: 'Actions for vera' }).click();
  await page.getByRole('menuitem', { name: 'Unlock' }).click();
  await page.getByRole('dialog', { name: 'Unlock vera?' }).getByRole('button', { name: 'Unlock' }).click();
  await expect(row).toContainText('Active');

  await page.getByRole('button', { name: 'Actions for vera' }).click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const reset = page.getByRole('dialog', { name: 'Reset the password of vera' });
  await reset.getByRole('textbox', { name: 'Temporary password', exact: true }).fill(VIEWER.password);
  await reset.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('status')).toContainText('The password of vera was reset');
  await screenshot(page, 'users');
});

test('the audit log shows those changes, filtered by action', async () => {
  await openScreen(page, 'Audit log');
  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('users.');
  const table = page.getByRole('table', { name: 'Audit log' });
  for (const action of ['users.create', 'users.update', 'users.lock', 'users.unlock', 'users.resetPassword']) {
    await expect(table.getByRole('cell', { name: action, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('cell', { name: 'auth.login' })).toHaveCount(0);
  await screenshot(page, 'audit-log');
});

test('a VIEWER sees no change buttons and no administration; the gateway refuses a forged call', async ({
  browser,
}) => {
  const viewerPage = await browser.newPage();
  try {
    await viewerPage.goto(ws.server.url);
    await viewerPage.getByRole('textbox', { name: 'Username', exact: true }).fill(VIEWER.username);
    await viewerPage.getByRole('textbox', { name: 'Password', exact: true }).fill(VIEWER.password);
    await viewerPage.getByRole('button', { name: 'Sign in' }).click();
    // The reset password must be changed first.
    await viewerPage.getByRole('textbox', { name: 'Current password', exact: true }).fill(VIEWER.password);
    await viewerPage.getByRole('textbox', { name: 'New password', exact: true }).fill('a viewer of many gauges');
    await viewerPage
      .getByRole('textbox', { name: 'Repeat the new password', exact: true })
      .fill('a viewer of many gauges');
    await viewerPage.getByRole('button', { name: 'Change password' }).click();
    await expect(viewerPage.getByTestId('current-user')).toContainText('vera · Viewer');

    const nav = viewerPage.getByRole('navigation', { name: 'Screens' });
    await expect(nav.getByRole('button', { name: 'Devices' })).toBeVisible();
    await expect(nav.getByRole('button', { name: 'Users' })).toHaveCount(0);
    await expect(nav.getByRole('button', { name: 'Audit log' })).toHaveCount(0);
    await expect(nav.getByRole('button', { name: 'Commissioning' })).toHaveCount(0);
    await nav.getByRole('button', { name: 'Devices' }).click();
    await expect(viewerPage.getByRole('row', { name: /Demo boiler/ })).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: 'Add device' })).toHaveCount(0);
    await expect(viewerPage.getByRole('button', { name: /^Edit / })).toHaveCount(0);
    await expect(viewerPage.getByRole('button', { name: 'Import' })).toHaveCount(0);
    await screenshot(viewerPage, 'viewer-devices');

    // A hand-made call with the viewer's session is refused by the gateway.
    const viewer = await ws.clientFor(VIEWER.username, 'a viewer of many gauges');
    await expect(
      viewer.api.devices.create.mutate({ name: 'Forged', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' }),
    ).rejects.toThrow('Your role (VIEWER) may not change devices or tags.');
    await expect(viewer.api.users.list.query()).rejects.toThrow('Your role (VIEWER) may not manage user accounts.');
  } finally {
    await viewerPage.close();
  }
});

test('switches to Simplified Chinese and to the dark theme at run time', async () => {
  await openScreen(page, 'Overview');
  await page.getByRole('button', { name: '中文 / English' }).click();
  await expect(page.getByRole('heading', { name: '总览' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('button', { name: '浅色或深色' }).click();
  await expect(page.getByRole('row', { name: /Demo boiler/ })).toBeVisible();
  await screenshot(page, 'overview-zh-dark');
  await page.getByRole('button', { name: '中文 / English' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await screenshot(page, 'overview-dark');
  await page.getByRole('button', { name: 'Light or dark' }).click();
  await screenshot(page, 'overview');
});
