// The e2e harness never leaves a headless server running: a run whose one test times out while
// its server runs and whose other test's worker is killed outright (e2e/support/abandoned-server)
// ends with neither server alive and their data folders gone — the first stopped by the worker
// as it exits after the timeout, the second by the run's global teardown.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** Whether a process runs (a zombie that init has yet to reap counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('servers of a timed-out test and of a killed worker do not outlive the run', async () => {
  test.skip(process.platform !== 'linux', 'reads /proc');
  test.setTimeout(180_000);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-e2e-abandoned-'));
  const log = path.join(folder, 'servers.log');
  try {
    const run = spawn(
      process.execPath,
      [
        'node_modules/@playwright/test/cli.js',
        'test',
        '--config',
        'e2e/support/abandoned-server/abandoned-server.config.ts',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GW_E2E_ABANDONED_LOG: log } },
    );
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    expect(code, output).toBe(1);
    expect(output).toContain('Test timeout of');

    const servers = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([what, pid, dataDir]) => ({ what, pid: Number(pid), dataDir: dataDir as string }));
    expect(servers.map((server) => server.what)).toEqual(['timeout', 'killed']);
    for (const server of servers) {
      await expect.poll(() => running(server.pid), { message: `${server.what}: process ${server.pid}` }).toBe(false);
      expect(existsSync(server.dataDir), `${server.what}: ${server.dataDir}`).toBe(false);
    }
    // the second one, whose worker could not stop it, was the global teardown's
    expect(output).toMatch(/Killed 1 headless server\(s\) a test left running: process \d+/);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
