// A throwaway InfluxDB 1.x server (Debian's influxd) for tests: meta, data and WAL in a temp
// folder, HTTP and the RPC service only on 127.0.0.1 on free ports, continuous queries checked
// every second (the seed's run-interval), removed on stop. stopServer()/startServer() keep the
// data, for outage tests. Its settings include those the README recommends to users ("Settings
// for influxd 1.x"): keep the two in step, since bench:historian measures with these.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './free-port.ts';
import { requireExecutable } from './service-requirement.ts';

export interface InfluxDbServer {
  url: string;
  port: number;
  /** the running influxd's process id (benchmarks read its CPU time) */
  readonly pid: number | undefined;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Undefined (suite skips) when influxd is missing and services are optional. */
export async function startInfluxDb(): Promise<InfluxDbServer | undefined> {
  const influxd = requireExecutable('influxd', 'Debian package influxdb', ['/usr/bin']);
  if (!influxd) return undefined;
  const base = await mkdtemp(path.join(os.tmpdir(), 'gw-influx-'));
  const port = await freePort();
  const rpcPort = await freePort();
  const config = path.join(base, 'influxdb.conf');
  await writeFile(
    config,
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${base}/meta"
  logging-enabled = false
[data]
  dir = "${base}/data"
  wal-dir = "${base}/wal"
  query-log-enabled = false
  wal-fsync-delay = "0s"
[coordinator]
  write-timeout = "30s"
[retention]
  enabled = true
  check-interval = "30m0s"
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  max-body-size = 0
[logging]
  level = "warn"
[continuous_queries]
  enabled = true
  log-enabled = false
  run-interval = "1s"
`,
  );
  let child: ChildProcess | undefined;
  let output = '';
  const startServer = async (): Promise<void> => {
    const started = spawn(influxd, ['run', '-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    started.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    const exited = new Promise<never>((_, reject) =>
      started.once('exit', (code) => reject(new Error(`influxd exited with ${code}:\n${output}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 30_000), exited]);
  };
  const stopServer = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  await startServer();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    stopServer,
    startServer,
    async stop() {
      process.removeListener('exit', killOnExit);
      await stopServer();
      await rm(base, { recursive: true, force: true });
    },
  };
}
