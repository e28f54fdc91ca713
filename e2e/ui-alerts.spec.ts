// Alerts, end to end against the demo simulator's live values: rules made in the editor (the
// condition checked by the gateway as it is typed) fire; the alerts appear in the active list
// and a notice shows, with no polling; two are acknowledged at once with a comment (selected by
// keyboard), one is shelved and unshelved; the audit log and the history (filters, 24-hour
// chart) show it; a VIEWER sees the list only and the gateway refuses their forged call.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;
const VIEWER = { username: 'vic', password: 'watches the alarm list' };

// Generous: a shared 2-core machine under load starts a fresh server in over a minute.
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  ws = await startWorkstation();
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Alerts');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

async function pick(within: Pick<Page, 'getByRole'>, field: string, option: string): Promise<void> {
  await within.getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the active list starts empty', async () => {
  await expect(page.getByText('No active alerts.')).toBeVisible();
  await expect(page.getByTestId('alert-bell')).toHaveAccessibleName('0 unacknowledged alerts');
});

test('creates a rule on a demo tag; BETWEEN asks for a low and a high threshold; it fires and is announced', async () => {
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add rule' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Boiler too hot');
  await pick(dialog, 'Device', 'Demo boiler');
  await pick(dialog, 'Tag', 'flow_temperature');
  await expect(dialog.getByTestId('expression-check')).toHaveText(
    'OK: a number, compared with the operator and threshold(s) below.',
  );
  await pick(dialog, 'Operator', 'not between');
  await dialog.getByRole('textbox', { name: 'Low', exact: true }).fill('40');
  await dialog.getByRole('textbox', { name: 'High', exact: true }).fill('abc');
  await expect(dialog.getByText('Must be a number')).toBeVisible();
  // The demo's flow temperature swings between 57 and 73 °C: outside 40…50, so it fires at once.
  await dialog.getByRole('textbox', { name: 'High', exact: true }).fill('50');
  await pick(dialog, 'Level', 'Critical');
  await screenshot(page, 'alert-rule-editor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Boiler too hot/ });
  await expect(row).toContainText('flow_temperature');
  await expect(row).toContainText('not between 40 … 50');
  const [rule] = await ws.admin.alerts.rules.list.query();
  expect(rule).toMatchObject({ op: 'NOT_BETWEEN', thresholdLow: 40, thresholdHigh: 50, level: 'CRITICAL' });

  const notice = page.getByTestId('alert-announcement');
  await expect(notice).toContainText('Critical: Boiler too hot');
  await screenshot(page, 'alert-notification');
  await notice.getByRole('button', { name: 'Close' }).click();
  await expect(notice).toBeHidden();
});

test('the condition is checked by the gateway as it is typed, naming the position and the problem', async () => {
  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add rule' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Pump flow while tank filled');
  await pick(dialog, 'Device', 'Demo pump skid');
  await pick(dialog, 'Tag', 'flow');
  const condition = dialog.getByRole('textbox', { name: 'Condition' });
  const check = dialog.getByTestId('expression-check');
  await condition.fill('value > 10 and tank_levl >= 0');
  await expect(check).toHaveText("Position 16: unknown tag 'tank_levl': no tag of that name exists");
  await expect(condition).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'alert-rule-expression-check');
  await condition.fill('value > 10 and (tank_level >= 0');
  await expect(check).toHaveText(/^Position \d+: a "\(" is never closed$/);
  await condition.fill('value > 10 and tank_level >= 0');
  await expect(check).toHaveText('OK: a condition (true/false); the alert fires while it holds.');
  await expect(condition).toHaveAttribute('aria-invalid', 'false');
  await dialog.getByRole('textbox', { name: 'Threshold', exact: true }).fill('0');
  await pick(dialog, 'Level', 'Fatal');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const notice = page.getByTestId('alert-announcement');
  await expect(notice).toContainText('Fatal: Pump flow while tank filled');
  await notice.getByRole('button', { name: 'Close' }).click();
});

test('a low threshold above the high one is refused under the field', async () => {
  await page.getByRole('button', { name: 'Edit Boiler too hot' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Boiler too hot' });
  await dialog.getByRole('textbox', { name: 'Low', exact: true }).fill('95');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Must not be above the high threshold')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await screenshot(page, 'alert-rules');
});

test('both alerts are listed live, most severe first; two are acknowledged at once with a comment', async () => {
  await page.getByRole('tab', { name: 'Active' }).click();
  const rows = page.getByTestId('alert-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Fatal');
  await expect(rows.nth(0)).toContainText('Pump flow while tank filled');
  await expect(rows.nth(1)).toContainText('Critical');
  await expect(rows.nth(1)).toContainText('Boiler too hot');
  await expect(page.getByTestId('alert-bell')).toHaveAccessibleName('2 unacknowledged alerts');

  // The keyboard: Space selects, Shift+↓ extends, Escape clears, Ctrl+A selects all.
  const acknowledge = page.getByRole('button', { name: /^Acknowledge \d+$/ });
  await page.getByRole('checkbox', { name: /^Select “Pump flow while tank filled/ }).focus();
  await page.keyboard.press('Space');
  await expect(acknowledge).toHaveText('Acknowledge 1');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(acknowledge).toHaveText('Acknowledge 2');
  await page.keyboard.press('Escape');
  await expect(acknowledge).toBeDisabled();
  await page.keyboard.press('Control+a');
  await expect(page.getByRole('checkbox', { name: 'Select all' })).toBeChecked();
  await expect(acknowledge).toBeEnabled();
  await page.waitForTimeout(400); // the buttons' colour transition, for the picture
  await screenshot(page, 'alerts-active');

  await acknowledge.click();
  const dialog = page.getByRole('dialog', { name: 'Acknowledge 2 alerts' });
  await dialog.getByRole('textbox', { name: 'Comment' }).fill('checked on site, burner serviced');
  await screenshot(page, 'alerts-acknowledge');
  await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect(dialog).toBeHidden();
  for (const index of [0, 1]) {
    await expect(rows.nth(index)).toContainText('Acknowledged');
    await expect(rows.nth(index)).toContainText(ADMIN.username);
  }
  await expect(page.getByTestId('alert-bell')).toHaveAccessibleName('0 unacknowledged alerts');
  const active = await ws.admin.alerts.active.query();
  expect(active.map((alert) => [alert.status, alert.acknowledgedBy])).toEqual([
    ['ACKNOWLEDGED', ADMIN.username],
    ['ACKNOWLEDGED', ADMIN.username],
  ]);
});

test('shelves an alert for a chosen time (custom durations are checked) and unshelves it', async () => {
  await page.getByRole('button', { name: 'Shelve “Boiler too hot' }).click();
  const dialog = page.getByRole('dialog', { name: 'Shelve 1 alert' });
  await pick(dialog, 'Shelve for', 'Custom…');
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('10');
  await pick(dialog, 'Unit', 'days');
  await expect(dialog.getByText('At most 7 days')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Shelve', exact: true })).toBeDisabled();
  await pick(dialog, 'Unit', 'hours');
  await dialog.getByRole('textbox', { name: 'Comment' }).fill('sensor replacement');
  await dialog.getByRole('button', { name: 'Shelve', exact: true }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Boiler too hot/ });
  await expect(row).toContainText('Shelved');
  await expect(row).toContainText(`(${ADMIN.username})`);
  const shelved = (await ws.admin.alerts.active.query()).find((alert) => alert.status === 'SUPPRESSED');
  expect((shelved?.shelvedUntil?.getTime() ?? 0) - Date.now()).toBeGreaterThan(9.9 * 3_600_000);
  await screenshot(page, 'alerts-shelved');
  await page.getByRole('button', { name: 'Unshelve “Boiler too hot' }).click();
  await expect(row).toContainText('Acknowledged');
});

test('the audit log shows the acknowledgement with its comment', async () => {
  await openScreen(page, 'Audit log');
  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('alerts.');
  const table = page.getByRole('table', { name: 'Audit log' });
  const acknowledged = table.getByRole('row').filter({ hasText: 'alerts.acknowledge' });
  await expect(acknowledged).toHaveCount(1);
  await expect(acknowledged).toContainText('checked on site, burner serviced');
  await expect(table.getByRole('cell', { name: 'alerts.shelve', exact: true })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'alerts.unshelve', exact: true })).toBeVisible();
  await screenshot(page, 'audit-alerts');
});

test('the history filters by level, status and device, and the 24-hour chart counts the alerts', async () => {
  await openScreen(page, 'Alerts');
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByText('Alerts per hour, last 24 hours')).toBeVisible();
  // One hour with a CRITICAL and a FATAL alert: two stacked bars among 24 hourly slots.
  await expect(page.locator('path.recharts-rectangle').filter({ visible: true })).toHaveCount(2);
  const rows = page.getByTestId('alert-row');
  await expect(rows).toHaveCount(2);
  await pick(page, 'Level', 'Fatal');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Pump flow while tank filled');
  await pick(page, 'Level', 'All');
  await pick(page, 'Device', 'Demo boiler');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Boiler too hot');
  await pick(page, 'Status', 'Resolved');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await pick(page, 'Status', 'Acknowledged');
  await expect(rows).toHaveCount(1);
  await pick(page, 'Device', 'All');
  await expect(rows).toHaveCount(2);
  await screenshot(page, 'alerts-history');
});

test('a VIEWER sees the list without selection or buttons; the gateway refuses a forged acknowledgement', async ({
  browser,
}) => {
  await ws.admin.users.create.mutate({ ...VIEWER, role: 'VIEWER', mustChangePassword: false });
  const viewerPage = await browser.newPage();
  try {
    await signIn(viewerPage, ws.server.url, VIEWER.username, VIEWER.password);
    await viewerPage.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Alerts' }).click();
    await expect(viewerPage.getByTestId('alert-row')).toHaveCount(2);
    await expect(viewerPage.getByRole('checkbox')).toHaveCount(0);
    await expect(viewerPage.getByRole('button', { name: /^(Acknowledge|Shelve|Unshelve)/ })).toHaveCount(0);
    await screenshot(viewerPage, 'viewer-alerts');
    await viewerPage.getByRole('tab', { name: 'Rules' }).click();
    await expect(viewerPage.getByRole('row', { name: /Boiler too hot/ })).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: 'Add rule' })).toHaveCount(0);

    const viewer = await ws.clientFor(VIEWER.username, VIEWER.password);
    const [alert] = await viewer.api.alerts.active.query();
    await expect(viewer.api.alerts.acknowledge.mutate({ ids: [alert!.id], comment: 'forged' })).rejects.toThrow(
      'Your role (VIEWER) may not acknowledge or shelve alerts.',
    );
    await expect(viewer.api.alerts.shelve.mutate({ id: alert!.id, durationMs: 60_000 })).rejects.toThrow(
      'Your role (VIEWER) may not acknowledge or shelve alerts.',
    );
    await expect(viewer.api.alerts.rules.check.query({ conditionExpression: 'value' })).rejects.toThrow(
      'Your role (VIEWER) may not change alert rules.',
    );
  } finally {
    await viewerPage.close();
  }
});
