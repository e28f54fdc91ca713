// First start, sign-in, the password change an administrator's reset forces, and a session that
// ends while a form is half filled: the form survives the new sign-in.
import { expect, test } from '@playwright/test';
import { wsApiClient } from '../test/ws-api-client.ts';
import { startHeadlessServer } from './support/headless-server.ts';
import { ADMIN, screenshot, signIn, startWorkstation } from './support/workstation.ts';

/** how often the gateway re-checks the session of a live stream (auth-service.ts's default) */
const SESSION_RECHECK_MS = 5_000;

test('first start creates the administrator, who lands on the overview', async ({ page }) => {
  const server = await startHeadlessServer(['--demo']);
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'First start' })).toBeVisible();
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill('chief');
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('short');
    await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill('other');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByText('must be at least 10 characters long')).toBeVisible();
    await expect(page.getByText('The two passwords differ')).toBeVisible();
    await screenshot(page, 'first-start');
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill(ADMIN.password);
    await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByTestId('current-user')).toContainText('chief · Administrator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.getByText('Embedded (PGlite)')).toBeVisible();
    await screenshot(page, 'overview-first-start');
    // A reload stays signed in (the tab keeps its token).
    await page.reload();
    await expect(page.getByTestId('current-user')).toContainText('chief');
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

test('sign-in refuses a wrong password in words, and a reset password must be changed first', async ({ page }) => {
  const ws = await startWorkstation();
  try {
    await ws.admin.users.create.mutate({ username: 'olga', password: 'temporary secret 1', role: 'OPERATOR' });
    await page.goto(ws.server.url);
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill('olga');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not her password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText(/username or password/i);
    await screenshot(page, 'sign-in-refused');

    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('temporary secret 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByRole('textbox', { name: 'Current password', exact: true }).fill('temporary secret 1');
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('olga');
    await page.getByRole('textbox', { name: 'New password', exact: true }).blur();
    await expect(page.getByText('must be at least 10 characters long')).toBeVisible();
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('a passphrase of her own');
    await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill('a passphrase of her own');
    await screenshot(page, 'password-change-due');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByTestId('current-user')).toContainText('olga · Operator');
  } finally {
    await ws.stop();
  }
});

test('a session that ends while a form is open asks for the password over it and keeps the form', async ({ page }) => {
  const ws = await startWorkstation();
  try {
    await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
    await page.getByRole('button', { name: 'Devices', exact: true }).click();
    await page.getByRole('button', { name: 'Add device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add device' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Line 3 meter');
    await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('127.0.0.1');

    // Meanwhile the administrator's sessions are ended from elsewhere.
    const me = (await ws.admin.users.list.query()).find((user) => user.username === ADMIN.username)!;
    const other = wsApiClient({ baseUrl: ws.server.url });
    await other.api.auth.login.mutate(ADMIN);
    await other.api.users.revokeSessions.mutate({ id: me.id });
    other.close();

    await dialog.getByRole('button', { name: 'Save' }).click();
    const expired = page.getByRole('dialog', { name: 'Your session ended' });
    await expect(expired).toBeVisible();
    await screenshot(page, 'session-ended');
    await expired.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await expired.getByRole('button', { name: 'Sign in' }).click();
    await expect(expired).toBeHidden();
    await expect(dialog.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('Line 3 meter');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /Line 3 meter/ })).toBeVisible();
    // The live streams opened before the revocation (the alert bell's) are reopened at the new
    // sign-in: the gateway's next session check (every 5 s) must not ask for the password again.
    await page.waitForTimeout(SESSION_RECHECK_MS + 1_000);
    await expect(expired).toBeHidden();
  } finally {
    await ws.stop();
  }
});
