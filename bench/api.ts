// npm run bench:api — round trip of a small API query over the headless server's WebSocket on
// loopback. Targets: p50 ≤ 1 ms, p99 ≤ 5 ms. Two small queries:
//  * auth.session: WebSocket → session check → access check → procedure → superjson → back, all
//    of the API's own path (answered from memory);
//  * devices.get: the same plus zod and a PGlite primary-key lookup (PGlite is WebAssembly in the
//    same event loop: its own cost shows here).
// Baseline in the same run: a bare WebSocket echo on loopback (the transport's own floor).
//
// The client speaks tRPC's WebSocket protocol directly (superjson, one message per call). The
// official tRPC client waits one timer tick before sending, to batch the calls of one tick; in
// Node that tick is at least 1 ms, in a browser it is not clamped. Its figure is printed too.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
import WebSocket, { WebSocketServer } from 'ws';
import { createApiServices } from '../main/api/api-services.ts';
import { openDatabase } from '../main/db/database.ts';
import { startHttpServer } from '../main/headless/http-server.ts';
import { wsApiClient } from '../test/ws-api-client.ts';
import { percentile, printBenchResult, round } from './bench-report.ts';

const WARMUP = 1_000;
const ROUND_TRIPS = 10_000;
const PASSWORD = 'measured passphrase 1';

async function timeEach(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples;
}

function describe(name: string, samples: number[]): void {
  const p = (q: number) => round(percentile(samples, q), 3);
  console.log(`${name.padEnd(34)} p50 ${p(50)} ms   p90 ${p(90)} ms   p99 ${p(99)} ms   max ${p(100)} ms`);
}

// ── the baseline: a bare WebSocket echo ────────────────────────────────────────────────────────
const echoServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
echoServer.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
await new Promise((resolve) => echoServer.once('listening', resolve));
const echo = new WebSocket(`ws://127.0.0.1:${(echoServer.address() as AddressInfo).port}`);
await new Promise((resolve) => echo.once('open', resolve));
const echoOnce = () =>
  new Promise<void>((resolve) => {
    echo.once('message', () => resolve());
    echo.send('{"id":1,"method":"query","params":{"path":"devices.get","input":{"json":{"id":"x"}}}}');
  });
await timeEach(WARMUP, echoOnce);
const echoSamples = await timeEach(ROUND_TRIPS, echoOnce);
echo.close();
echoServer.close();

/** A minimal client of tRPC's WebSocket protocol: one JSON message per call, superjson payloads. */
async function protocolClient(baseUrl: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map<number, (message: { result?: { data: unknown }; error?: unknown }) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id: number; result?: { data: unknown }; error?: unknown };
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  return {
    call(method: 'query' | 'mutation', path: string, input?: unknown): Promise<unknown> {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, (message) =>
          message.error
            ? reject(new Error(JSON.stringify(message.error)))
            : resolve(superjson.deserialize(message.result?.data as never)),
        );
        socket.send(JSON.stringify({ id, method, params: { path, input: superjson.serialize(input) } }));
      });
    },
    close: () => socket.close(),
  };
}

// ── the API ────────────────────────────────────────────────────────────────────────────────────
const database = await openDatabase({});
const services = createApiServices(database);
const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-'));
const server = await startHttpServer(services, { host: '127.0.0.1', port: 0, rendererDir });
const client = wsApiClient({ baseUrl: server.url });
await client.api.auth.setup.mutate({ username: 'bench', password: PASSWORD });
const devices = [];
for (let i = 0; i < 20; i++) {
  devices.push(
    await client.api.devices.create.mutate({
      name: `PLC-${i}`,
      protocol: 'ModbusTcp',
      endpoint: `127.0.0.1:${1502 + i}`,
    }),
  );
}
const device = devices[7]!;
const direct = await protocolClient(server.url);
await direct.call('mutation', 'auth.login', { username: 'bench', password: PASSWORD });
const getDevice = () => direct.call('query', 'devices.get', { id: device.id });
await timeEach(WARMUP, getDevice);
const apiSamples = await timeEach(ROUND_TRIPS, getDevice);
const sessionSamples = await timeEach(ROUND_TRIPS, () => direct.call('query', 'auth.session'));
const officialSamples = await timeEach(ROUND_TRIPS / 5, () => client.api.devices.get.query({ id: device.id }));

direct.close();
client.close();
await server.close();
await database.close();
await rm(rendererDir, { recursive: true, force: true });

console.log(`${ROUND_TRIPS} sequential round trips on one connection, after ${WARMUP} to warm up:`);
describe('bare WebSocket echo (baseline)', echoSamples);
describe('devices.get (session, role, PGlite)', apiSamples);
describe('auth.session (no database)', sessionSamples);
describe('devices.get, official tRPC client', officialSamples);

const metric = (samples: number[], p: number, target: string) => ({
  value: round(percentile(samples, p), 3),
  unit: 'ms',
  target,
  baseline: round(percentile(echoSamples, p), 3),
});
printBenchResult('api', {
  query_p50_ms: metric(sessionSamples, 50, '<=1'),
  query_p99_ms: metric(sessionSamples, 99, '<=5'),
  db_query_p50_ms: metric(apiSamples, 50, '<=1'),
  db_query_p99_ms: metric(apiSamples, 99, '<=5'),
});
