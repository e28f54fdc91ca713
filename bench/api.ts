// npm run bench:api — round trip of a small API query over the headless server's WebSocket on
// loopback. Targets: p50 ≤ 1 ms, p99 ≤ 5 ms. Two small queries:
//  * auth.session: WebSocket → session check → access check → procedure → superjson → back, all
//    of the API's own path (answered from memory);
//  * devices.get: the same plus zod and a primary-key lookup of a device, which on the embedded
//    PGlite is answered by the devices read model (main/db/record-read-model.ts), kept exact by
//    the database's change notifications; measured against a PostgreSQL server too (a throwaway
//    one, as the tests start; BENCH_POSTGRES=0 skips it), where every lookup is a query.
// Baseline in the same run: a bare WebSocket echo on loopback (the transport's own floor).
//
// Live value stream: a producer publishes DataFrames for STREAM_TAGS tags of one device on the
// gateway's frame bus as fast as the bus takes them; one WebSocket client subscribed to
// tags.live (coalesced, a message per 100 ms with the latest value of each changed tag) counts
// the tag updates it receives per second. Target ≥ 50,000. Baseline in the same run: the same
// frames sent one tRPC message per update over the same WebSocket adapter. Client, server and
// producer share one process (and event loop), as a browser's load would not; the WAL runs with
// durability "async" so that the disk's fsync rate does not decide the figure.
//
// The client speaks tRPC's WebSocket protocol directly (superjson, one message per call). The
// official tRPC client waits one timer tick before sending, to batch the calls of one tick; in
// Node that tick is at least 1 ms, in a browser it is not clamped. Its figure is printed too.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { initTRPC } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import superjson from 'superjson';
import WebSocket, { WebSocketServer } from 'ws';
import type { FrameBus } from '../main/bus/frame-bus.ts';
import { tagValueView, type TagValueView } from '../main/live/frame-views.ts';
import { StreamChannel } from '../main/live/stream-channel.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';
import { createGateway, type Gateway } from '../main/gateway/create-gateway.ts';
import { GatewayStartup } from '../main/gateway/gateway-startup.ts';
import { startHttpServer } from '../main/headless/http-server.ts';
import { startPostgres } from '../test/services/postgres-server.ts';
import { wsApiClient } from '../test/ws-api-client.ts';
import { median, percentile, printBenchResult, round } from './bench-report.ts';

const STREAM_TAGS = 8_000;
const STREAM_SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 4);
const STREAM_RUNS = Number(process.env.BENCH_RUNS ?? 3);
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
    // the server's keep-alive, every 30 s of a long run
    if (data.toString() === 'PING') return socket.send('PONG');
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
const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-'));

/** Signs in on a fresh server over `gateway`, makes 20 devices and times devices.get (and auth.session). */
async function roundTrips(gateway: Gateway, withSessionCalls: boolean) {
  const server = await startHttpServer(GatewayStartup.running(gateway), { host: '127.0.0.1', port: 0, rendererDir });
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
  const get = await timeEach(ROUND_TRIPS, getDevice);
  const session = withSessionCalls ? await timeEach(ROUND_TRIPS, () => direct.call('query', 'auth.session')) : [];
  const official = withSessionCalls
    ? await timeEach(ROUND_TRIPS / 5, () => client.api.devices.get.query({ id: device.id }))
    : [];
  return {
    get,
    session,
    official,
    client,
    async close() {
      direct.close();
      client.close();
      await server.close();
    },
  };
}

const gateway = await createGateway({ dataDir: path.join(rendererDir, 'data'), wal: { durability: 'async' } });
const embedded = await roundTrips(gateway, true);
const { get: apiSamples, session: sessionSamples, official: officialSamples, client } = embedded;

// ── the live value stream ──────────────────────────────────────────────────────────────────────
const streamDevice = randomUUID();
const streamTags = Array.from({ length: STREAM_TAGS }, () => randomUUID());

/** Publishes a value for every tag, round after round, as fast as the bus takes them, until stopped. */
function produce(bus: FrameBus): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    for (let round = 0; running; round++) {
      for (let i = 0; i < STREAM_TAGS && running; i++) {
        bus.publish({
          type: 'data',
          payload: {
            tagId: streamTags[i]!,
            deviceId: streamDevice,
            value: { kind: { $case: 'doubleValue', value: round + i / STREAM_TAGS } },
            rawValue: round,
            sourceTimestamp: BigInt(Date.now()) * 1_000_000n,
            quality: Quality.QUALITY_GOOD,
            qualityReason: QualityReason.QUALITY_REASON_NONE,
            errorCode: 0,
          },
        });
        if (i % 1_000 === 999) {
          await bus.drain();
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Tag updates per second received by `subscribe`'s client over STREAM_SECONDS, after a second's warm-up. */
async function measureStream(subscribe: (count: (updates: number) => void) => () => void): Promise<number> {
  let received = 0;
  const unsubscribe = subscribe((updates) => (received += updates));
  const producer = produce(gateway.bus);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const from = received;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, STREAM_SECONDS * 1_000));
  const rate = (received - from) / ((performance.now() - started) / 1_000);
  unsubscribe();
  await producer.stop();
  await gateway.bus.flush();
  return rate;
}

// The baseline: the same frames, one tRPC message per update, over the same WebSocket adapter.
const t = initTRPC.create({ transformer: superjson });
const perUpdateRouter = t.router({
  values: t.procedure.subscription(async function* ({ signal }) {
    const channel = new StreamChannel<TagValueView>(signal);
    const subscription = gateway.bus.subscribe(
      { name: 'bench per-update', types: ['data'], deviceIds: [streamDevice] },
      (frame) => (frame.type === 'data' ? channel.push(tagValueView(frame.payload, frame.sequenceId)) : undefined),
    );
    try {
      yield* channel;
    } finally {
      subscription.unsubscribe();
    }
  }),
});
const perUpdateServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const perUpdateHandler = applyWSSHandler({ wss: perUpdateServer, router: perUpdateRouter });
await new Promise((resolve) => perUpdateServer.once('listening', resolve));
const perUpdateWs = createWSClient({
  url: `ws://127.0.0.1:${(perUpdateServer.address() as AddressInfo).port}`,
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
});
const perUpdateClient = createTRPCClient<typeof perUpdateRouter>({
  links: [wsLink({ client: perUpdateWs, transformer: superjson })],
});

const coalescedRates: number[] = [];
const perUpdateRates: number[] = [];
for (let run = 0; run < STREAM_RUNS; run++) {
  coalescedRates.push(
    await measureStream((count) => {
      const subscription = client.api.tags.live.subscribe(
        { deviceIds: [streamDevice], intervalMs: 100 },
        { onData: (message) => count(message.values.length) },
      );
      return () => subscription.unsubscribe();
    }),
  );
  perUpdateRates.push(
    await measureStream((count) => {
      const subscription = perUpdateClient.values.subscribe(undefined, { onData: () => count(1) });
      return () => subscription.unsubscribe();
    }),
  );
  console.log(
    `stream run ${run + 1}: coalesced ${Math.round(coalescedRates[run]!)} updates/s, one message per update ${Math.round(perUpdateRates[run]!)} updates/s`,
  );
}
perUpdateWs.close();
perUpdateHandler.broadcastReconnectNotification();
perUpdateServer.close();

await embedded.close();
await gateway.stop();

// ── devices.get against PostgreSQL (a throwaway server, as the tests start one) ────────────────
// Only the embedded database has a read model (main/db/record-read-model.ts): here every
// devices.get is a query on the server. Skipped when PostgreSQL is not installed.
const postgres = process.env.BENCH_POSTGRES === '0' ? undefined : await startPostgres();
let postgresSamples: number[] = [];
if (postgres) {
  const pgGateway = await createGateway({
    dataDir: path.join(rendererDir, 'data-pg'),
    databaseUrl: await postgres.createDatabase('bench_api'),
    wal: { durability: 'async' },
  });
  const run = await roundTrips(pgGateway, false);
  postgresSamples = run.get;
  await run.close();
  await pgGateway.stop();
  await postgres.stop();
}
await rm(rendererDir, { recursive: true, force: true });

console.log(`${ROUND_TRIPS} sequential round trips on one connection, after ${WARMUP} to warm up:`);
describe('bare WebSocket echo (baseline)', echoSamples);
describe('devices.get (session, role, PGlite)', apiSamples);
describe('auth.session (no database)', sessionSamples);
describe('devices.get, official tRPC client', officialSamples);
if (postgresSamples.length > 0) describe('devices.get (PostgreSQL server)', postgresSamples);
else console.log('devices.get (PostgreSQL server)    not measured: PostgreSQL is not installed');
console.log(
  `live values, ${STREAM_TAGS} tags, one WebSocket client (median of ${STREAM_RUNS} runs of ${STREAM_SECONDS} s):`,
);
console.log(`  tags.live, coalesced per 100 ms        ${Math.round(median(coalescedRates))} updates/s`);
console.log(`  one message per update (baseline)      ${Math.round(median(perUpdateRates))} updates/s`);

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
  ...(postgresSamples.length > 0 && {
    db_query_postgres_p50_ms: metric(postgresSamples, 50, '<=1'),
    db_query_postgres_p99_ms: metric(postgresSamples, 99, '<=5'),
  }),
  live_updates_per_s: {
    value: Math.round(median(coalescedRates)),
    unit: 'updates/s',
    target: '>=50000',
    baseline: Math.round(median(perUpdateRates)),
  },
});
