// Devices and drivers: create with a validated form, edit, delete with confirmation, import with
// the per-row report (nothing applied when a row is bad), export; driver configurations.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  ws = await startWorkstation();
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Devices');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

const field = (scope: Page | ReturnType<Page['getByRole']>, name: string) =>
  scope.getByRole('textbox', { name, exact: true });

test('adds a Modbus TCP device, with the form refusing a bad port in words', async () => {
  // The demo profile's devices are there from the start.
  await expect(page.getByRole('row', { name: /Demo boiler/ })).toBeVisible();
  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  // No configuration picked: the form says which one the device will poll with.
  await expect(dialog.getByRole('combobox', { name: 'Driver configuration' })).toHaveText('Demo Modbus TCP (default)');
  await field(dialog, 'Name').fill('Boiler 2');
  await field(dialog, 'Host').fill('127.0.0.1');
  await dialog.getByRole('spinbutton', { name: 'Port' }).fill('70000');
  await dialog.getByRole('spinbutton', { name: 'Unit id' }).fill('3');
  await field(dialog, 'Location').fill('Boiler house');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('A whole number from 1 to 65535')).toBeVisible();
  await screenshot(page, 'device-form-invalid');
  await dialog.getByRole('spinbutton', { name: 'Port' }).fill('1502');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Boiler 2/ });
  await expect(row).toContainText('127.0.0.1:1502');
  const [device] = await ws.admin.devices.list.query({ search: 'Boiler 2' });
  expect(device?.config).toMatchObject({ modbus: { unitId: 3, wordOrder: 'ABCD' } });
});

test('a duplicate name is refused by the gateway, its sentence under the field', async () => {
  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  await field(dialog, 'Name').fill('Boiler 2');
  await field(dialog, 'Host').fill('127.0.0.1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/already exists/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('edits the device as Modbus RTU with serial settings, then deletes it after confirmation', async () => {
  await page.getByRole('button', { name: 'Edit Boiler 2' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Boiler 2' });
  await dialog.getByRole('combobox', { name: 'Protocol' }).click();
  await page.getByRole('option', { name: 'Modbus RTU' }).click();
  await expect(dialog.getByRole('combobox', { name: 'Driver configuration' })).toHaveText(
    'Built-in defaults (1 s scan)',
  );
  await field(dialog, 'Serial port').fill('/dev/ttyUSB0');
  await dialog.getByRole('combobox', { name: 'Baud rate' }).click();
  await page.getByRole('option', { name: '9600', exact: true }).click();
  await expect(page.getByRole('listbox')).toBeHidden();
  await screenshot(page, 'device-form-rtu');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: /Boiler 2/ })).toContainText('/dev/ttyUSB0');
  const [device] = await ws.admin.devices.list.query({ search: 'Boiler 2' });
  expect(device?.config).toMatchObject({ modbus: { unitId: 3, baudRate: 9600, parity: 'even' } });

  await page.getByRole('button', { name: 'Delete Boiler 2' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Boiler 2' });
  await expect(confirm).toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row', { name: /Boiler 2/ })).toHaveCount(0);
});

test('an import with bad rows lists every problem and imports nothing; a good file imports', async () => {
  const before = (await ws.admin.devices.list.query()).length;
  const bad = [
    'name,protocol,endpoint,location',
    'Press 1,ModbusTcp,127.0.0.1:502,Hall A',
    'Press 2,Telepathy,127.0.0.1:502,Hall A',
    ',ModbusTcp,127.0.0.1:502,Hall B',
  ].join('\n');
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import Devices' });
  await dialog
    .getByTestId('import-file')
    .setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Nothing was imported: 2 problems');
  const problems = dialog.getByRole('table', { name: 'Problems' });
  await expect(problems.getByRole('row')).toHaveCount(3);
  await expect(problems).toContainText('protocol');
  await screenshot(page, 'device-import-report');
  expect(await ws.admin.devices.list.query()).toHaveLength(before);

  const good = bad.split('\n').slice(0, 2).join('\n') + '\nPress 2,ModbusTcp,127.0.0.1:503,Hall A\n';
  await dialog
    .getByTestId('import-file')
    .setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('status')).toContainText('Imported 2 records: 2 created');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('row', { name: /Press 2/ })).toBeVisible();
});

test('exports the devices as CSV', async () => {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^devices-.*\.csv$/);
  const text = await readFile((await file.path())!, 'utf8');
  expect(text).toContain('Press 1');
  await screenshot(page, 'devices');
});

test('creates a driver configuration with validated timing', async () => {
  await openScreen(page, 'Drivers');
  await page.getByRole('button', { name: 'Add configuration' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add configuration' });
  await field(dialog, 'Name').fill('Slow RTU line');
  await dialog.getByRole('spinbutton', { name: 'Timeout (ms)' }).fill('0');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('A whole number, at least 1')).toBeVisible();
  await dialog.getByRole('spinbutton', { name: 'Timeout (ms)' }).fill('2500');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: /Slow RTU line/ })).toContainText('2,500 ms');
  await screenshot(page, 'drivers');
});
