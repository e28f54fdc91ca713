// A throwaway Mosquitto broker (Debian's mosquitto) on a free 127.0.0.1 port: anonymous access
// by default, or one username/password; plain TCP, or TLS with a certificate the caller made;
// stop and start again on the same port (northbound buffering tests), removed on stop.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './free-port.ts';
import { requireExecutable } from './service-requirement.ts';

export interface MosquittoServer {
  /** mqtt://127.0.0.1:port, or mqtts:// with tls */
  url: string;
  port: number;
  /** the broker process's id while it runs (benchmarks read its CPU time) */
  pid(): number | undefined;
  /** stops the broker but keeps its port (outage tests); startServer() brings it back */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Undefined (suite skips) when mosquitto is not installed and services are optional. */
export async function startMosquitto(
  options: {
    user?: { userName: string; password: string };
    /** a TLS listener with this server certificate and key (PEM files) */
    tls?: { certFile: string; keyFile: string };
    /** more mosquitto.conf lines (e.g. queue limits for a benchmark) */
    extraConfig?: string[];
  } = {},
): Promise<MosquittoServer | undefined> {
  const binary = requireExecutable('mosquitto', 'Debian package mosquitto', ['/usr/sbin']);
  if (!binary) return undefined;
  const base = await mkdtemp(path.join(os.tmpdir(), 'gw-mosquitto-'));
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'message_size_limit 0',
  ];
  if (options.tls) lines.push(`certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`);
  lines.push(...(options.extraConfig ?? []));
  if (options.user) {
    const passwordFile = path.join(base, 'passwords');
    await writeFile(passwordFile, '');
    const tool = requireExecutable('mosquitto_passwd', 'Debian package mosquitto', ['/usr/bin']);
    if (!tool) return undefined;
    const made = spawnSync(tool, ['-b', passwordFile, options.user.userName, options.user.password]);
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr.toString()}`);
    // Readable by all: Mosquitto started as root drops to its own user before it reads it.
    await chmod(base, 0o755);
    await chmod(passwordFile, 0o644);
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  const configFile = path.join(base, 'mosquitto.conf');
  await writeFile(configFile, `${lines.join('\n')}\n`);
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function launch(): Promise<void> {
    const proc = spawn(binary as string, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let output = '';
    proc.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}:\n${output}`))),
    );
    await Promise.race([waitForPort(port), exited]);
  }

  async function halt(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  await launch();
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    stopServer: halt,
    startServer: launch,
    async stop() {
      await halt();
      process.removeListener('exit', killOnExit);
      await rm(base, { recursive: true, force: true });
    },
  };
}
