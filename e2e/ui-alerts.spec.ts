// Alerts: the rules editor (thresholds the operator needs, checked as typed), the active list,
// the history with its filters and the last 24 hours as a chart.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  ws = await startWorkstation();
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Alerts');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

test('creates a rule on a demo tag; BETWEEN asks for a low and a high threshold', async () => {
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add rule' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Boiler too hot');
  await dialog.getByRole('combobox', { name: 'Device' }).click();
  await page.getByRole('option', { name: 'Demo boiler' }).click();
  await dialog.getByRole('combobox', { name: 'Tag' }).click();
  await page.getByRole('option', { name: 'flow_temperature' }).click();
  await dialog.getByRole('combobox', { name: 'Operator' }).click();
  await page.getByRole('option', { name: 'not between' }).click();
  await dialog.getByRole('textbox', { name: 'Low', exact: true }).fill('40');
  await dialog.getByRole('textbox', { name: 'High', exact: true }).fill('abc');
  await expect(dialog.getByText('Must be a number')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'High', exact: true }).fill('90');
  await dialog.getByRole('combobox', { name: 'Level' }).click();
  await page.getByRole('option', { name: 'Critical' }).click();
  await screenshot(page, 'alert-rule-editor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Boiler too hot/ });
  await expect(row).toContainText('flow_temperature');
  await expect(row).toContainText('not between 40 … 90');
  await screenshot(page, 'alert-rules');
  const [rule] = await ws.admin.alerts.rules.list.query();
  expect(rule).toMatchObject({ op: 'NOT_BETWEEN', thresholdLow: 40, thresholdHigh: 90, level: 'CRITICAL' });
});

test('a low threshold above the high one is refused under the field', async () => {
  await page.getByRole('button', { name: 'Edit Boiler too hot' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Boiler too hot' });
  await dialog.getByRole('textbox', { name: 'Low', exact: true }).fill('95');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Must not be above the high threshold')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('active alerts, and the history with filters and the 24-hour chart', async () => {
  await page.getByRole('tab', { name: 'Active' }).click();
  await expect(page.getByText('No active alerts.').or(page.getByTestId('alert-row').first())).toBeVisible();
  await screenshot(page, 'alerts-active');
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByText('Alerts per hour, last 24 hours')).toBeVisible();
  await page.getByRole('combobox', { name: 'Level' }).click();
  await page.getByRole('option', { name: 'Fatal' }).click();
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await screenshot(page, 'alerts-history');
});
