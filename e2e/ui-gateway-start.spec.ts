// The sign-in page comes before the gateway: `npm run serve` serves it while the database, the
// WAL and the drivers start, shows the start's progress, lets the user sign in meanwhile (the
// sign-in goes out once the gateway runs), and says in words why a start failed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../test/services/free-port.ts';
import { startPostgres } from '../test/services/postgres-server.ts';
import { connectionGate } from './support/connection-gate.ts';
import { startHeadlessServer } from './support/headless-server.ts';
import { ADMIN, screenshot } from './support/workstation.ts';

/** `npm run serve -- user create-admin`: an administrator in the database before the start. */
function createAdmin(dataDir: string, databaseUrl: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        'out/main/serve.js',
        'user',
        'create-admin',
        ADMIN.username,
        '--data-dir',
        dataDir,
        '--database-url',
        databaseUrl,
      ],
      { env: { ...process.env, DATABASE_URL: '' }, stdio: ['pipe', 'ignore', 'inherit'] },
    );
    child.once('exit', resolve);
    child.stdin.end(`${ADMIN.password}\n`);
  });
}

test('the sign-in page is usable while the gateway starts, and signs in once it runs', async ({ page }) => {
  test.setTimeout(180_000);
  const postgres = await startPostgres();
  test.skip(!postgres, 'PostgreSQL is not installed');
  if (!postgres) return;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-e2e-start-'));
  // The database answers only when the gate opens: the gateway stays at its first stage until then.
  const gate = await connectionGate(postgres.port);
  try {
    const databaseUrl = await postgres.createDatabase('gateway_start');
    expect(await createAdmin(dataDir, databaseUrl)).toBe(0);
    const gated = new URL(databaseUrl);
    gated.port = String(gate.port);
    const server = await startHeadlessServer(['--database-url', gated.toString()], dataDir, { until: 'page' });
    try {
      await page.goto(server.url);
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      const progress = page.getByTestId('startup-progress');
      await expect(progress).toContainText('Starting the gateway…');
      await expect(progress).toContainText('Opening the database (step 1 of 5)');
      const starting = await page.request.get(`${server.url}/healthz`);
      expect(starting.status()).toBe(503);
      expect(await starting.json()).toEqual({ status: 'starting', stage: 'database', step: 1, steps: 5 });
      await screenshot(page, 'sign-in-gateway-starting');

      // The same state in Simplified Chinese, on a page whose WebSocket gets no answer (as while
      // the API's modules still load on the server): the form comes from /api/startup alone.
      const chinese = await page.context().newPage();
      await chinese.routeWebSocket(/\/api$/, () => undefined);
      await chinese.addInitScript({
        content: `localStorage.setItem('gateway.preferences', '${JSON.stringify({ state: { language: 'zh-CN' }, version: 0 })}')`,
      });
      await chinese.goto(server.url);
      await expect(chinese.getByTestId('startup-progress')).toContainText('正在打开数据库（第 1 步，共 5 步）');
      await expect(chinese.getByRole('button', { name: '登录' })).toBeEnabled();
      await screenshot(chinese, 'sign-in-gateway-starting-zh');
      await chinese.close();

      // Filled and sent while the gateway starts: the sign-in waits for it.
      await page.getByRole('textbox', { name: 'Username', exact: true }).fill(ADMIN.username);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Signing in when the gateway is ready…' })).toBeDisabled();
      await screenshot(page, 'sign-in-waiting-for-gateway');

      gate.open();
      await expect(page.getByTestId('current-user')).toContainText(ADMIN.username, { timeout: 60_000 });
      const running = await page.request.get(`${server.url}/healthz`);
      expect(await running.json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  } finally {
    await gate.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a gateway that cannot start says why on its sign-in page', async ({ page }) => {
  const port = await freePort(); // nothing listens there: a PostgreSQL that cannot be reached
  const server = await startHeadlessServer(
    ['--database-url', `postgresql://gateway:secret@127.0.0.1:${port}/gateway`],
    undefined,
    { until: 'page' },
  );
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'The gateway could not start' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(
      `Cannot connect to PostgreSQL at postgresql://gateway:***@127.0.0.1:${port}/gateway`,
    );
    await screenshot(page, 'gateway-start-failed');
    const health = await page.request.get(`${server.url}/healthz`);
    expect(health.status()).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'failed' });
    expect(server.output()).toContain('Gateway Workstation could not start: Cannot connect to PostgreSQL');
  } finally {
    // A failed start ends with exit code 1, also when Ctrl-C ends it early.
    expect(await server.stop()).toBe(1);
  }
});
