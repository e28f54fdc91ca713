// Starts the built headless server (out/main/serve.js) the way a user runs `npm run serve`,
// on a free port with a throwaway data folder, and stops it with SIGINT like Ctrl-C does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh data folder's first start (migrations, demo) took 66 s on this 2-core machine at load 20. */
const START_TIMEOUT_MS = 180_000;

export interface HeadlessServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** everything the server printed so far */
  output(): string;
  /** sends SIGINT and resolves with the exit code */
  stop(): Promise<number | null>;
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
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

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
  });

  return {
    url,
    dataDir: folder,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await exited;
      if (!dataDir) await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}
