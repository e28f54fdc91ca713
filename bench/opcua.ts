// npm run bench:opcua — OPC UA notifications reaching the frame bus: 10,000 monitored items with
// 100 ms sampling in ≤ 10 subscriptions, against node-opcua's server in a separate process whose
// 10,000 variables change every 100 ms. The driver runs as in the gateway: a DeviceRunner turns
// what it pushes into DataFrames and publishes them on a FrameBus with its RocksDB WAL; the
// figure is data frames published per second (median of several windows).
// Baseline, same run: the same load with one subscription per item. Setting up thousands of
// subscriptions takes long, so it monitors BENCH_OPCUA_BASELINE_ITEMS items (printed, and in the
// JSON as baselineItems); the CPU per notification compares both at the same footing.
// CPU: this process (driver, bus, WAL) and the server process are reported apart, so the
// server's own cost is not counted against the driver.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Device, DevicesRepository } from '../main/db/repositories/devices-repository.ts';
import type { Tag } from '../main/db/repositories/tags-repository.ts';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { busFrameSink } from '../main/bus/bus-frame-sink.ts';
import { ConcurrencyLimit } from '../main/drivers/concurrency-limit.ts';
import { DeviceRunner } from '../main/drivers/device-runner.ts';
import { DeviceStatusRecorder } from '../main/drivers/device-status-recorder.ts';
import type { DriverSettings } from '../main/drivers/driver-contract.ts';
import type { DriverLog } from '../main/drivers/driver-log.ts';
import type { FrameSink } from '../main/drivers/frame-sink.ts';
import { OpcUaDriver } from '../main/drivers/opcua/opcua-driver.ts';
import { parseOpcUaDeviceSettings } from '../main/drivers/opcua/opcua-device-settings.ts';
import { OpcUaPki } from '../main/drivers/opcua/opcua-pki.ts';
import { openOpcUaConnection } from '../main/drivers/opcua/opcua-session.ts';
import { openTestWal } from '../test/frame-fixtures.ts';
import { startOpcUaServer } from '../test/services/opcua-server.ts';
import { median, printBenchResult, round } from './bench-report.ts';
import { loadAverage, ownCpuMs, processCpuMs } from './process-cpu.ts';

const ITEMS = Number(process.env.BENCH_OPCUA_ITEMS ?? 10_000);
const BASELINE_ITEMS = Math.min(ITEMS, Number(process.env.BENCH_OPCUA_BASELINE_ITEMS ?? 1000));
const SUBSCRIPTIONS = 10;
const SAMPLING_MS = 100;
const WINDOW_MS = 3000;
const WINDOWS = 5;
const WARM_UP_MS = 2000;
const SETUP_DEADLINE_MS = 300_000;

const SETTINGS: DriverSettings = {
  name: 'bench',
  scanIntervalMs: SAMPLING_MS,
  timeoutMs: 30_000,
  maxConcurrent: 1,
  batchSize: 10_000,
  maxRetries: 3,
  retryIntervalMs: 1000,
  exponentialBackoff: true,
  maxRetryIntervalMs: 10_000,
};

const quietLog: DriverLog = { info: () => undefined, warn: (message) => console.warn(message) };

interface Run {
  items: number;
  subscriptions: number;
  setupMs: number;
  /** data frames published on the bus per second, one per window */
  rates: number[];
  /** CPU time of this process (driver, bus, WAL) per notification, µs */
  driverCpuUs: number;
  /** cores: CPU time over wall time during the windows */
  driverCores: number;
  serverCores: number | undefined;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function measure(
  server: Awaited<ReturnType<typeof startOpcUaServer>>,
  pki: OpcUaPki,
  items: number,
  perSubscription: number,
): Promise<Run | { failed: string }> {
  const walDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-opcua-wal-'));
  const wal = await openTestWal(walDir);
  const bus = new FrameBus({ wal });
  const busSink = busFrameSink(bus);
  let frames = 0;
  const sink: FrameSink = {
    publishData(data) {
      frames += data.length;
      return busSink.publishData(data);
    },
    publishEvent: (event) => busSink.publishEvent(event),
    publishCommandAck: (ack) => busSink.publishCommandAck(ack),
  };
  const tags = Array.from(
    { length: items },
    (_, i) =>
      ({
        id: `t${i}`,
        name: `t${i}`,
        address: server.node(`Bench.${i}`),
        dataType: 'Double',
        accessType: 'Read',
        scanRate: SAMPLING_MS,
        scaling: null,
        tagOffset: null,
        minValue: null,
        maxValue: null,
        deadband: null,
      }) as unknown as Tag,
  );
  const device = {
    id: 'bench',
    name: 'bench',
    protocol: 'OpcUa',
    endpoint: server.endpoint,
    config: { opcua: { maxItemsPerSubscription: perSubscription, queueSize: 1 } },
  } as unknown as Device;
  const driver = new OpcUaDriver(pki);
  const runner = new DeviceRunner({
    device,
    tags,
    settings: SETTINGS,
    driver,
    sink,
    // The device is not tracked: no status rows, no status events on the bus.
    status: new DeviceStatusRecorder({} as DevicesRepository, sink, quietLog),
    limit: new ConcurrencyLimit(1),
    log: quietLog,
  });
  const started = performance.now();
  runner.start();
  try {
    while (runner.runtime().state !== 'polling') {
      if (performance.now() - started > SETUP_DEADLINE_MS) {
        return { failed: `setting up ${items} items took over ${SETUP_DEADLINE_MS / 1000} s` };
      }
      if (runner.runtime().state === 'failed') return { failed: 'the device failed' };
      await sleep(20);
    }
    const setupMs = performance.now() - started;
    // Initial values first, then a warm-up (JIT, the server's sampling settles).
    const initialDeadline = performance.now() + 60_000;
    while (frames < items && performance.now() < initialDeadline) await sleep(50);
    await sleep(WARM_UP_MS);
    const rates: number[] = [];
    const framesBefore = frames;
    const cpuBefore = ownCpuMs();
    const serverBefore = processCpuMs(server.pid());
    const t0 = performance.now();
    for (let w = 0; w < WINDOWS; w++) {
      const before = frames;
      const windowStart = performance.now();
      await sleep(WINDOW_MS);
      rates.push(((frames - before) * 1000) / (performance.now() - windowStart));
    }
    const wallMs = performance.now() - t0;
    const cpuMs = ownCpuMs() - cpuBefore;
    const serverAfter = processCpuMs(server.pid());
    const notifications = frames - framesBefore;
    return {
      items,
      subscriptions: driver.subscriptionCount(),
      setupMs,
      rates,
      driverCpuUs: notifications > 0 ? (cpuMs * 1000) / notifications : Number.NaN,
      driverCores: cpuMs / wallMs,
      serverCores:
        serverBefore === undefined || serverAfter === undefined ? undefined : (serverAfter - serverBefore) / wallMs,
    };
  } finally {
    await runner.stop();
    await bus.close();
    await wal.close();
    await rm(walDir, { recursive: true, force: true });
  }
}

function describe(run: Run): string {
  const cores = (value: number | undefined) => (value === undefined ? 'n/a' : `${round(value, 2)} cores`);
  return (
    `${run.items} items in ${run.subscriptions} subscriptions, set up in ${round(run.setupMs / 1000, 1)} s: ` +
    `notifications/s on the bus per window ${run.rates.map((r) => Math.round(r)).join(', ')} ` +
    `(median ${Math.round(median(run.rates))}); driver process ${round(run.driverCpuUs, 2)} µs CPU per notification ` +
    `(${cores(run.driverCores)}), server process ${cores(run.serverCores)}`
  );
}

const server = await startOpcUaServer({
  plantVariables: 0,
  bigFolderChildren: 0,
  benchVariables: ITEMS,
  benchChangeMs: SAMPLING_MS,
  startTimeoutMs: 600_000,
});
const pkiDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-opcua-pki-'));
const pki = new OpcUaPki(pkiDir);
try {
  console.log(
    `OPC UA: ${ITEMS} variables changing every ${SAMPLING_MS} ms, monitored with ${SAMPLING_MS} ms sampling (load average ${loadAverage()})`,
  );
  // The first connection creates the gateway's client certificate (seconds of key generation):
  // made before the timed set-ups, as an installed gateway has it from its first start.
  const warm = await openOpcUaConnection(parseOpcUaDeviceSettings(server.endpoint, {}), pki, 30_000);
  await warm.close();
  const grouped = await measure(server, pki, ITEMS, Math.ceil(ITEMS / SUBSCRIPTIONS));
  if ('failed' in grouped) throw new Error(`the grouped run failed: ${grouped.failed}`);
  console.log(`grouped: ${describe(grouped)} (load average ${loadAverage()})`);
  const single = await measure(server, pki, BASELINE_ITEMS, 1);
  if ('failed' in single) {
    console.log(`baseline, one subscription per item (${BASELINE_ITEMS} items): ${single.failed}`);
  } else {
    console.log(`baseline, one subscription per item: ${describe(single)} (load average ${loadAverage()})`);
  }
  const base = 'failed' in single ? undefined : single;
  printBenchResult('opcua', {
    notificationsPerSecond: {
      value: Math.round(median(grouped.rates)),
      unit: 'notifications/s',
      target: '>=10000',
      baseline: base ? Math.round(median(base.rates)) : null,
    },
    subscriptions: {
      value: grouped.subscriptions,
      unit: 'subscriptions',
      target: '<=10',
      baseline: base?.subscriptions ?? null,
    },
    monitoredItems: { value: grouped.items, unit: 'items', target: '>=10000', baseline: BASELINE_ITEMS },
    driverCpuPerNotification: {
      value: round(grouped.driverCpuUs, 2),
      unit: 'µs/notification',
      target: '',
      baseline: base ? round(base.driverCpuUs, 2) : null,
    },
    serverCpu: {
      value: grouped.serverCores === undefined ? Number.NaN : round(grouped.serverCores, 2),
      unit: 'cores',
      target: '',
      baseline: base?.serverCores === undefined ? null : round(base.serverCores, 2),
    },
    setupSeconds: {
      value: round(grouped.setupMs / 1000, 1),
      unit: 's',
      target: '',
      baseline: base ? round(base.setupMs / 1000, 1) : null,
    },
  });
} finally {
  await pki.dispose();
  await server.stop();
  await rm(pkiDir, { recursive: true, force: true });
}
