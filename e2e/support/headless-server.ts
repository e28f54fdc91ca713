// Starts the built headless server (out/main/serve.js) the way a user runs `npm run serve`,
// on a free port with a throwaway data folder, and stops it with SIGINT like Ctrl-C does.
//
// A server must never outlive its test, also when the test times out: Playwright abandons a
// timed-out test body (its `finally` never runs) and then ends the worker. So each server leads
// its own process group (anything it spawns goes with it), the worker kills every server still
// running when it exits, and each server is listed in the run's registry folder, from which the
// global teardown kills what a worker that died hard (SIGKILL, crash) left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh data folder's first start (migrations, demo) took 66 s on this 2-core machine at load 20. */
const START_TIMEOUT_MS = 180_000;
/** After SIGINT, a server that has not exited within this is killed (a clean stop takes ~1 s). */
const STOP_GRACE_MS = 30_000;
/** Set by the global setup: the folder where this run's servers are listed. */
export const SERVER_REGISTRY_ENV = 'GW_E2E_SERVER_REGISTRY';

export interface HeadlessServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** everything the server printed so far */
  output(): string;
  /** sends SIGINT (SIGKILL after 30 s) and resolves with the exit code (null when killed) */
  stop(): Promise<number | null>;
}

interface RunningServer {
  child: ChildProcess;
  /** removed when the server exits by itself, or on exit when the test made it */
  folder: string | undefined;
  entry: string | undefined;
}

const running = new Set<RunningServer>();

/** Signals the server's whole process group (the server and anything it started). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
  } catch {
    // already gone
  }
}

// A worker ends (after a failed or timed-out test, or at the end of the run) with servers its
// abandoned tests started: only synchronous work is possible here, so they are killed.
process.once('exit', () => {
  for (const server of running) {
    signalGroup(server.child, 'SIGKILL');
    if (server.entry) rmSync(server.entry, { force: true });
    if (server.folder) rmSync(server.folder, { recursive: true, force: true });
  }
});

function register(child: ChildProcess, dataDir: string): string | undefined {
  const registry = process.env[SERVER_REGISTRY_ENV];
  if (!registry || child.pid === undefined) return undefined;
  mkdirSync(registry, { recursive: true });
  const entry = path.join(registry, `${child.pid}.json`);
  writeFileSync(entry, JSON.stringify({ pid: child.pid, dataDir }));
  return entry;
}

/**
 * Kills every server listed in `registry` that still runs (checked against its command line, so
 * a reused process id is left alone) and removes the listing; returns the ids it killed.
 */
export function killListedServers(registry: string): number[] {
  const killed: number[] = [];
  let names: string[];
  try {
    names = readdirSync(registry);
  } catch {
    return killed;
  }
  for (const name of names) {
    const entry = path.join(registry, name);
    try {
      const { pid, dataDir } = JSON.parse(readFileSync(entry, 'utf8')) as { pid: number; dataDir: string };
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (commandLine.includes('out/main/serve.js') && commandLine.includes(dataDir)) {
        process.kill(-pid, 'SIGKILL');
        killed.push(pid);
        rmSync(dataDir, { recursive: true, force: true });
      }
    } catch {
      // not running any more (or not a listing)
    }
    unlinkSync(entry);
  }
  return killed;
}

/**
 * Starts the server and resolves with its URL once the gateway runs ("serving on"), or with
 * `until: 'page'` as soon as the sign-in page is served while the gateway is still starting.
 */
export async function startHeadlessServer(
  extraArgs: string[] = [],
  dataDir?: string,
  { until = 'running' }: { until?: 'running' | 'page' } = {},
): Promise<HeadlessServer> {
  const folder = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'gw-e2e-')));
  const child = spawn(process.execPath, ['out/main/serve.js', '--port', '0', '--data-dir', folder, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
    // its own process group: stopped as a whole, and not by a Ctrl-C meant for the test runner
    detached: process.platform !== 'win32',
  });
  const server: RunningServer = { child, folder: dataDir ? undefined : folder, entry: register(child, folder) };
  running.add(server);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(server);
      if (server.entry) rmSync(server.entry, { force: true });
      resolve(code);
    }),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const check = (): void => {
      const match = (until === 'page' ? /the sign-in page is at (http:\/\/\S+)/ : /serving on (http:\/\/\S+)/).exec(
        output,
      );
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code} before serving:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    signalGroup(child, 'SIGKILL');
    await exited;
    if (!dataDir) await rm(folder, { recursive: true, force: true });
    throw error;
  });

  return {
    url,
    dataDir: folder,
    process: child,
    output: () => output,
    async stop() {
      signalGroup(child, 'SIGINT');
      const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      const code = await exited;
      clearTimeout(kill);
      if (!dataDir) await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}
