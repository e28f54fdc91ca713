// `npm run serve` starts, serves the UI and its API on 127.0.0.1 and stops cleanly on Ctrl-C;
// `npm run serve -- user create-admin` is the way in when no administrator can sign in.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { wsApiClient } from '../test/ws-api-client.ts';
import { startHeadlessServer } from './support/headless-server.ts';

test('serves the workstation on loopback and stops cleanly on Ctrl-C', async ({ page }) => {
  const server = await startHeadlessServer();
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect.poll(() => server.output()).toContain('First start: open');
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    // The page reached the API over its WebSocket: it asks for the first administrator.
    await expect(page.getByRole('heading', { name: 'First start' })).toBeVisible();

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

/** Runs the built command with `stdin` piped in; resolves with its exit code and output. */
function runServeCommand(args: string[], stdin = ''): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['out/main/serve.js', ...args], {
      env: { ...process.env, DATABASE_URL: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

test('creates an administrator from the terminal, who then signs in over the API', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-e2e-user-'));
  try {
    const created = await runServeCommand(
      ['user', 'create-admin', 'chief', '--data-dir', dataDir],
      'the leader passphrase\n',
    );
    expect(created).toEqual({ code: 0, output: "Created the administrator 'chief'. Sign in with the new password.\n" });
    const server = await startHeadlessServer([], dataDir);
    const client = wsApiClient({ baseUrl: server.url });
    try {
      expect(server.output()).not.toContain('First start');
      const { session } = await client.api.auth.login.mutate({ username: 'chief', password: 'the leader passphrase' });
      expect(session.user).toMatchObject({ username: 'chief', role: 'ADMIN', mustChangePassword: false });
      // While the server runs, the command refuses to touch its data folder.
      const busy = await runServeCommand(['user', 'reset-password', 'chief', '--data-dir', dataDir], 'x\n');
      expect(busy.code).toBe(1);
      expect(busy.output).toMatch(/is using the data folder/);
    } finally {
      client.close();
      expect(await server.stop()).toBe(0);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('refuses to listen beyond the loopback without TLS', async () => {
  const refused = await runServeCommand(['--host', '0.0.0.0', '--port', '0']);
  expect(refused.code).toBe(2);
  expect(refused.output).toContain('give --tls-cert and --tls-key so that passwords travel encrypted, or --insecure');
});
