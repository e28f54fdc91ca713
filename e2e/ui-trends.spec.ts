// Trends end to end: two demo tags go from the tag browser to a trend in one action, their live
// values arrive, the range switches to the last hour, a drag zooms in, the raw range exports as
// CSV and the chart as PNG, and the trend saved as a set opens again after a reload.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  ws = await startWorkstation();
  page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

const pens = () => page.getByTestId('trend-pen');

/** The chart's line paths (one per pen), once drawn. */
const lines = () => page.getByTestId('trend-line');

test('adds two demo tags to a trend from the tag browser, and their live values arrive', async () => {
  await openScreen(page, 'Tags');
  for (const name of ['flow_temperature', 'pressure']) {
    await page.getByTestId('tag-search').fill(name);
    await page.getByTestId('tag-row').filter({ hasText: name }).first().click();
  }
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Add to trend' }).click();

  await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
  await expect(pens()).toHaveCount(2);
  await expect(pens().filter({ hasText: 'flow_temperature — Demo boiler' })).toBeVisible();
  await expect(pens().filter({ hasText: 'pressure — Demo boiler' })).toBeVisible();
  // live mode: each pen shows its current value with its unit, and the chart draws both
  await expect(page.getByTestId('trend-pen-value')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('trend-pen-value').first()).toHaveText(/\d.* °C$/);
  await expect(lines()).toHaveCount(2, { timeout: 20_000 });
  // °C and bar: one Y axis each
  await expect(page.getByTestId('trend-chart').locator('.recharts-yAxis')).toHaveCount(2);
  await expect(page.getByTestId('trend-range')).toHaveText('Live, last 15 min');
});

test('switches to the last hour, zooms by dragging, and reads values under the cursor', async () => {
  await page.getByRole('switch', { name: 'Live' }).uncheck();
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  await expect(page.getByTestId('trend-range')).toHaveText('Last 1 h');
  await expect(lines()).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('trend-resolution')).toHaveText(/^1 point per \d+ s \(.+\)$/);

  const box = (await page.getByTestId('trend-chart').boundingBox())!;
  // the plot area (between the Y axes), from the grid recharts draws over it
  const plot = (await page.getByTestId('trend-chart').locator('.recharts-cartesian-grid').boundingBox())!;
  const y = plot.y + plot.height / 2;
  // The demo has been running for seconds: its values are a few pixels at the right end of the
  // hour. Drag from just before where its line starts to past the plot's right edge (over the
  // right Y axis): the selection runs to the window's end and holds all the values.
  const line = (await lines().first().boundingBox())!;
  await page.mouse.move(Math.max(plot.x + 1, line.x - 8), y);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width - 1, y, { steps: 5 });
  await expect(page.getByTestId('trend-zoom-selection')).toBeVisible();
  await page.mouse.move(box.x + box.width - 12, y, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('trend-range')).not.toHaveText('Last 1 h');
  await expect(page.getByRole('button', { name: 'Back' })).toBeEnabled();
  // a server round trip on a loaded machine
  await expect(lines()).toHaveCount(2, { timeout: 20_000 });
  // a minute or so over the chart's width: buckets of a few ms, finer than the demo's 0.5 s scans
  await expect(page.getByTestId('trend-resolution')).toHaveText(/^Raw samples, not downsampled \(.+\)$/);

  // the read-out in the middle of the zoomed line
  const zoomed = (await lines().first().boundingBox())!;
  expect(zoomed.width).toBeGreaterThan(line.width * 4);
  await page.mouse.move(zoomed.x + zoomed.width / 2, y);
  await expect(page.getByTestId('trend-readout-time')).toBeVisible();
  await expect(page.getByTestId('trend-readout')).toContainText(/flow_temperature: \d.* °C/);
  await expect(page.getByTestId('trend-readout')).toContainText(/pressure: \d.* bar/);
  await screenshot(page, 'trends');

  // Back returns to the hour
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByTestId('trend-range')).toHaveText('Last 1 h');
  await expect(lines()).toHaveCount(2, { timeout: 20_000 });
});

test('exports the raw range as CSV and the chart as PNG', async () => {
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^trend-\d{8}-\d{4}-\d{8}-\d{4}\.csv$/);
  const rows = (await readFile((await csv.path())!, 'utf8')).trim().split('\n');
  expect(rows[0]).toBe('time,device,tag,unit,value,raw_value,quality,error_code');
  expect(rows.length).toBeGreaterThan(2);
  expect(rows.some((row) => /^\d{4}-\d\d-\d\dT[\d:.]{18}Z,Demo boiler,flow_temperature,°C,/.test(row))).toBe(true);
  expect(rows.some((row) => row.includes(',pressure,bar,'))).toBe(true);
  await expect(page.getByText(/^Exported [\d,]+ rows\.$/)).toBeVisible();

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = await readFile((await png.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.length).toBeGreaterThan(5_000);
});

test('saves the trend as a set, which opens again after a reload', async () => {
  const range = await page.getByTestId('trend-range').textContent();
  await page.getByRole('button', { name: 'Save trend set' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill('Boiler start-up');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved as "Boiler start-up".')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Trends — Boiler start-up' })).toBeVisible();

  await page.reload();
  await expect(pens()).toHaveCount(2);
  // clear the screen, so what comes back comes from the gateway
  for (const name of ['flow_temperature', 'pressure']) await page.getByLabel(`Remove ${name} — Demo boiler`).click();
  await expect(pens()).toHaveCount(0);
  await expect(page.getByText('No tags in this trend yet.')).toBeVisible();
  await expect(page.getByTestId('trend-resolution')).toBeHidden();

  await page.getByRole('button', { name: 'Trend sets' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trend sets' });
  await expect(dialog.getByText('Boiler start-up')).toBeVisible();
  await expect(dialog).toContainText('2 pens');
  await screenshot(page, 'trend-sets');
  await dialog.getByRole('button', { name: /^Boiler start-up 2 pens/ }).click();
  await expect(pens()).toHaveCount(2);
  await expect(page.getByTestId('trend-range')).toHaveText(range!);
  await expect(lines()).toHaveCount(2);
});
