// Starts opcua-test-server.ts in a separate Node process on a free 127.0.0.1 port with its own
// PKI folder, and can restart it on the same port (subscriptions must come back), freeze it
// (SIGSTOP: the peer stops answering but the TCP connection stays up, like a pulled cable) and
// stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import type { OpcUaTestServerCertificate, OpcUaTestServerSpec } from './opcua-test-server.ts';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'opcua-test-server.ts');
/** The server's own key and certificate, made once and reused: generating them takes seconds. */
const OWN_PKI_CACHE = path.join(os.tmpdir(), 'gateway-test-opcua-server-own-pki');

export const OPCUA_TEST_USER = { userName: 'engineer', password: 'pa55-w0rd' };

export interface OpcUaTestServer {
  endpoint: string;
  port: number;
  /** the server's own PKI (its certificate is under own/certs) */
  pkiDir: string;
  /** "ns=<index>;s=<id>" for a node of the test address space */
  node(id: string): string;
  /** the server process's id while it runs (the benchmark reads its CPU time) */
  pid(): number | undefined;
  restart(options?: { downMs?: number }): Promise<void>;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export interface OpcUaTestServerOptions {
  plantVariables?: number;
  bigFolderChildren?: number;
  benchVariables?: number;
  benchChangeMs?: number;
  /** the server's OperationLimits.MaxMonitoredItemsPerCall (default 20,000) */
  maxMonitoredItemsPerCall?: number;
  /** how long starting may take (default 60 s; the benchmark's 10,000 variables take longer) */
  startTimeoutMs?: number;
  /** the server certificate's names (default: localhost, 127.0.0.1 and the server's applicationUri) */
  certificate?: Partial<OpcUaTestServerCertificate>;
}

export async function startOpcUaServer(options: OpcUaTestServerOptions = {}): Promise<OpcUaTestServer> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'gw-opcua-server-'));
  const spec: OpcUaTestServerSpec = {
    port: await freePort(),
    pkiDir: path.join(base, 'pki'),
    plantVariables: options.plantVariables ?? 300,
    bigFolderChildren: options.bigFolderChildren ?? 1200,
    benchVariables: options.benchVariables ?? 0,
    benchChangeMs: options.benchChangeMs ?? 100,
    maxMonitoredItemsPerCall: options.maxMonitoredItemsPerCall ?? 20_000,
    user: OPCUA_TEST_USER,
    issueCertificate: { dns: ['localhost'], ip: ['127.0.0.1'], ...options.certificate },
  };
  let child: ChildProcess | undefined;
  let namespaceIndex = 1;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function launch(): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(spec)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODEOPCUADEBUG: '' },
    });
    child = proc;
    let output = '';
    proc.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    await new Promise<void>((resolve, reject) => {
      const limit = options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(
        () => reject(new Error(`the OPC UA test server did not start in ${limit} ms:\n${output}`)),
        limit,
      );
      proc.stdout?.on('data', (chunk: Buffer) => {
        const match = /READY (\d+)/.exec(chunk.toString());
        if (match) {
          namespaceIndex = Number(match[1]);
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the OPC UA test server exited with ${code}:\n${output}`));
      });
    });
  }

  async function halt(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    proc.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // SIGKILL: a crashed or restarted PLC does not say goodbye to its clients either.
    proc.kill('SIGKILL');
    await exited;
  }

  if (existsSync(OWN_PKI_CACHE)) await cp(OWN_PKI_CACHE, path.join(spec.pkiDir, 'own'), { recursive: true });
  await launch();
  spec.issueCertificate = undefined; // a restarted server keeps its certificate (and its trust)
  if (!existsSync(OWN_PKI_CACHE)) {
    const staging = `${OWN_PKI_CACHE}.${process.pid}`;
    await cp(path.join(spec.pkiDir, 'own'), staging, { recursive: true });
    await rename(staging, OWN_PKI_CACHE).catch(() => rm(staging, { recursive: true, force: true }));
  }
  return {
    endpoint: `opc.tcp://127.0.0.1:${spec.port}`,
    port: spec.port,
    pkiDir: spec.pkiDir,
    node: (id) => `ns=${namespaceIndex};s=${id}`,
    pid: () => child?.pid,
    async restart({ downMs = 0 } = {}) {
      await halt();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async stop() {
      await halt();
      process.removeListener('exit', killOnExit);
      await rm(base, { recursive: true, force: true });
    },
  };
}
