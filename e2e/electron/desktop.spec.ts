// The desktop app for real, in Electron: what only Electron can show (the app:// protocol, the
// hardening, single instance, the shutdown). Run by `npm run test:electron` where an Electron
// binary exists; it is not part of `npm test`, whose machine cannot download one (every test here
// is then skipped, saying why). On Linux without a display: `xvfb-run npm run test:electron`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, NO_ELECTRON_BINARY } from './electron-binary.ts';

const binary = electronBinary();
if (!binary) console.warn(`[skip] ${NO_ELECTRON_BINARY}`);
test.skip(!binary, NO_ELECTRON_BINARY);

const projectDir = path.resolve(import.meta.dirname, '..', '..');
// Chromium refuses its OS sandbox to root (CI containers); the renderers' sandbox option stays on.
const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

/** The page's own globals, typed just enough (this file is compiled without the DOM library). */
type PageGlobals = { open(url: string): unknown; location: { href: string }; require?: unknown; process?: unknown };

let dataDir: string;
let app: ElectronApplication;
let page: Page;

test.beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-electron-'));
  app = await electron.launch({
    executablePath: binary,
    args: [projectDir, ...rootArgs],
    env: { ...process.env, GATEWAY_DATA_DIR: dataDir, DATABASE_URL: '', ELECTRON_RENDERER_URL: '' },
  });
  page = await app.firstWindow();
});

test.afterEach(async () => {
  await app?.close().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

test('opens the workstation over app:// with Node kept out of the page', async () => {
  await expect(page.getByRole('heading', { name: 'Gateway Workstation' })).toBeVisible();
  expect(page.url()).toBe('app://renderer/index.html');
  expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).process)).toBe('undefined');
  const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("script-src 'self'");
  await page.screenshot({ path: 'test-results/screenshots/electron-window.png' });
});

test('denies navigation away, new windows and file://', async () => {
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(
    true,
  );
  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe('app://renderer/index.html');
  expect(app.windows()).toHaveLength(1);
  const fileFetch = await page.evaluate(() =>
    fetch('file:///etc/hostname').then(
      () => 'loaded',
      () => 'blocked',
    ),
  );
  expect(fileFetch).toBe('blocked');
});

test('lets a second launch hand over to the first and exit', async () => {
  const second = spawn(binary as string, [projectDir, ...rootArgs], {
    env: { ...process.env, GATEWAY_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  expect(code).toBe(0);
  expect(app.windows()).toHaveLength(1);
});

test('stops the gateway and remembers the window when it quits', async () => {
  await expect(page.getByRole('heading', { name: 'Gateway Workstation' })).toBeVisible();
  await app.close();
  const log = await readFile(path.join(dataDir, 'logs', 'gateway.log'), 'utf8');
  expect(log).toContain('"msg":"stopped cleanly"');
  expect(existsSync(path.join(dataDir, 'window-state.json'))).toBe(true);
});
