// `npm run serve` starts, serves the UI on 127.0.0.1 and stops cleanly on Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startHeadlessServer } from './support/headless-server.ts';

test('serves the workstation on loopback and stops cleanly on Ctrl-C', async ({ page }) => {
  const server = await startHeadlessServer();
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await expect(page.getByRole('heading', { name: 'Gateway Workstation' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Gateway running (embedded database)');
    await page.screenshot({ path: 'test-results/screenshots/headless-placeholder.png' });

    const health = await page.request.get(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    const missing = await page.request.get(`${server.url}/assets/missing.js`);
    expect(missing.status()).toBe(404);
    const traversal = await page.request.get(`${server.url}/..%2f..%2fpackage.json`);
    expect(traversal.status()).toBe(403);
  } finally {
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain('Stopped cleanly.');
  }
});

test('a second start on the same data folder reuses the database', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-e2e-restart-'));
  try {
    const first = await startHeadlessServer([], dataDir);
    expect(await first.stop()).toBe(0);
    const second = await startHeadlessServer([], dataDir);
    const health = await fetch(`${second.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await second.stop()).toBe(0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
