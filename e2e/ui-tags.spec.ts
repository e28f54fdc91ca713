// The tag browser: the device tree and a virtualized grid (3,000 tags here; bench:ui scrolls
// 10,000), with search, filters and selection by keyboard.
import { expect, test, type Page } from '@playwright/test';
import { importManyTags } from './support/many-tags.ts';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

let ws: Workstation;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000); // thousands of tags into the embedded database on a busy machine
  ws = await startWorkstation();
  await importManyTags(ws, 'Tank farm', 3_000);
  page = await browser.newPage();
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Tags');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

test('lists every tag, but puts only the visible rows in the page', async () => {
  await expect(page.getByTestId('tag-count')).toContainText(/of 3,0\d\d tags/, { timeout: 30_000 });
  const rendered = await page.getByTestId('tag-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);
  await page.getByTestId('tag-grid-scroller').hover();
  await page.mouse.wheel(0, 32 * 2_500);
  await expect(page.getByTestId('tag-row').filter({ hasText: 'sensor_02500' })).toBeVisible();
  await screenshot(page, 'tags');
});

test('the tree, search and filters narrow the grid; Space selects a row', async () => {
  await page
    .getByRole('navigation', { name: 'Devices' })
    .getByRole('button', { name: /Demo boiler/ })
    .click();
  await expect(page.getByTestId('tag-row').filter({ hasText: 'flow_temperature' })).toBeVisible();
  await expect(page.getByTestId('tag-row').filter({ hasText: 'sensor_' })).toHaveCount(0);

  await page
    .getByRole('navigation', { name: 'Devices' })
    .getByRole('button', { name: /All devices/ })
    .click();
  await page.getByTestId('tag-search').fill('sensor_0042');
  await expect(page.getByTestId('tag-count')).toContainText(/^10 of/);
  await page.getByTestId('tag-search').fill('');
  await page.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Float' }).click();
  await expect(page.getByTestId('tag-row').filter({ hasText: 'sensor_' })).toHaveCount(0);
  await expect(page.getByTestId('tag-row').first()).toBeVisible();

  const first = page.getByTestId('tag-row').first();
  await first.focus();
  await page.keyboard.press(' ');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('1 selected')).toBeVisible();
  await screenshot(page, 'tags-filtered');
});
