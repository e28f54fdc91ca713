// The main flow of a working day: sign in, add a Modbus TCP device pointed at the demo simulator
// (no restart: the edit applies at once), see its tag's live value in the tag browser, write a
// setpoint with confirmation, see the value read back, and find the write in the audit log. A
// VIEWER sees no write button, and a forged tags.write as VIEWER is refused by the gateway.
import { TRPCClientError } from '@trpc/client';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;
let simulatorPort: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  ws = await startWorkstation();
  const [demo] = await ws.admin.devices.list.query({ search: 'Demo boiler' });
  simulatorPort = demo!.endpoint!.split(':')[1]!;
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

test('a device added in the form shows live values without a restart, and a setpoint is written', async () => {
  await openScreen(page, 'Devices');
  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Boiler line 2');
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('127.0.0.1');
  await dialog.getByRole('spinbutton', { name: 'Port' }).fill(simulatorPort);
  await dialog.getByRole('spinbutton', { name: 'Unit id' }).fill('1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  // The tag arrives as an engineer's tag file would; the device is already polled.
  const [device] = await ws.admin.devices.list.query({ search: 'Boiler line 2' });
  await ws.admin.tags.create.mutate({
    deviceId: device!.id,
    name: 'line2_setpoint',
    address: '40010',
    dataType: 'Int16',
    accessType: 'ReadWrite',
    unit: '°C',
    minValue: 20,
    maxValue: 90,
  });

  await openScreen(page, 'Tags');
  await page.getByTestId('tag-search').fill('line2_setpoint');
  const row = page.getByTestId('tag-row').filter({ hasText: 'line2_setpoint' });
  await expect(row.getByTestId('tag-value')).toHaveText('70', { timeout: 20_000 });
  await expect(row).toContainText('Good');
  await page.getByTestId('tag-search').fill('');
  await expect(page.getByTestId('tag-count')).toHaveText(/^([\d,]+) of \1 tags$/);
  await expect(
    page.getByTestId('tag-row').filter({ hasText: 'flow_temperature' }).getByTestId('tag-value'),
  ).not.toHaveText('—', { timeout: 20_000 });
  await screenshot(page, 'tags-live');
  await page.getByTestId('tag-search').fill('line2_setpoint');

  await row.getByTestId('write-tag').click();
  const write = page.getByRole('dialog', { name: 'Write line2_setpoint' });
  const input = write.getByRole('textbox', { name: /New value/ });
  await input.fill('95');
  await write.getByRole('button', { name: 'Review' }).click();
  await expect(write.getByText('New value: above the maximum of 90.')).toBeVisible();
  await input.fill('55');
  await write.getByRole('button', { name: 'Review' }).click();
  await expect(write.getByTestId('write-confirm')).toHaveText('Write line2_setpoint: 70 °C → 55 °C?');
  await screenshot(page, 'tag-write-confirm');
  await write.getByRole('button', { name: 'Write', exact: true }).click();
  await expect(write.getByTestId('write-result')).toContainText('The device reads back 55 °C', { timeout: 15_000 });
  await screenshot(page, 'tag-write-result');
  await write.getByRole('button', { name: 'Close' }).click();
  await expect(row.getByTestId('tag-value')).toHaveText('55', { timeout: 10_000 });

  await openScreen(page, 'Audit log');
  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('tags.write');
  const audit = page.getByRole('table', { name: 'Audit log' });
  await expect(audit.getByRole('cell', { name: 'tags.write', exact: true }).first()).toBeVisible({ timeout: 10_000 });
  await screenshot(page, 'audit-tag-write');
});

test('the overview shows system health and the drivers screen polling with its controls', async () => {
  await openScreen(page, 'Overview');
  await expect(page.getByTestId('system-health')).toContainText('Frames per second');
  await expect(page.getByRole('table', { name: 'WAL backlog per sink' })).toBeVisible();
  await screenshot(page, 'overview');
  await openScreen(page, 'Drivers');
  await expect(page.getByTestId('polling-state')).toHaveText('Drivers running');
  await expect(page.getByRole('button', { name: 'Stop polling Boiler line 2' })).toBeVisible();
  await screenshot(page, 'drivers');
});

test('a VIEWER sees no write button, and a forged write is refused', async ({ browser }) => {
  await ws.admin.users.create.mutate({
    username: 'watcher',
    password: 'only looking here',
    role: 'VIEWER',
    mustChangePassword: false,
  });
  const viewerPage = await browser.newPage();
  try {
    await signIn(viewerPage, ws.server.url, 'watcher', 'only looking here');
    await openScreen(viewerPage, 'Tags');
    await viewerPage.getByTestId('tag-search').fill('setpoint');
    await expect(viewerPage.getByTestId('tag-row').first().getByTestId('tag-value')).not.toHaveText('—', {
      timeout: 20_000,
    });
    await expect(viewerPage.getByTestId('write-tag')).toHaveCount(0);
  } finally {
    await viewerPage.close();
  }
  const viewer = await ws.clientFor('watcher', 'only looking here');
  const { tags } = await ws.admin.tags.list.query({ search: 'line2_setpoint' });
  const refused = await viewer.api.tags.write
    .mutate({ id: tags[0]!.id, value: 60 })
    .catch((error: unknown) => error as TRPCClientError<never>);
  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as TRPCClientError<never>).data).toMatchObject({ code: 'FORBIDDEN' });
});
