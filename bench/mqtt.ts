// npm run bench:mqtt — MQTT against Debian's Mosquitto on loopback:
//  1. Southbound: 200,000 JSON messages published by a separate process (mqtt-load-publisher.ts) at QoS 0,
//     mapped by the MQTT driver to DataFrames (JSON path + payload timestamp, TagFrames as in the
//     device runner). Baseline, same run: a bare mqtt.js subscriber that only counts the messages.
//  2. Northbound: 100,000 values written to a WAL and published by the durable consumer, batched
//     (1,000 values per message, QoS 1). Baseline, same run: per-tag messages (one per value).
// Each figure is the median of several runs; the southbound also reports this process's CPU time
// per message (driver vs bare subscriber), which the other processes on the machine disturb less.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { Tag } from '../main/db/repositories/tags-repository.ts';
import type { DriverSettings, DriverTag, ScanOutcome } from '../main/drivers/driver-contract.ts';
import { MqttDriver } from '../main/drivers/mqtt/mqtt-driver.ts';
import { mqttNorthboundSchema } from '../main/drivers/mqtt/mqtt-northbound-config.ts';
import { MqttNorthbound } from '../main/drivers/mqtt/mqtt-northbound.ts';
import { TagFrames } from '../main/drivers/tag-frames.ts';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { dataBody, openTestWal } from '../test/frame-fixtures.ts';
import { startMosquitto } from '../test/services/mosquitto-server.ts';
import { median, printBenchResult } from './bench-report.ts';

const SOUTH_MESSAGES = 200_000;
const NORTH_VALUES = 100_000;
const RUNS = 3;

const SETTINGS: DriverSettings = {
  name: 'bench',
  scanIntervalMs: 1000,
  timeoutMs: 5000,
  maxConcurrent: 1,
  batchSize: 10_000,
  maxRetries: 3,
  retryIntervalMs: 1000,
  exponentialBackoff: true,
  maxRetryIntervalMs: 10_000,
};

const broker = await startMosquitto();
if (!broker) throw new Error('mosquitto is needed (scripts/install-test-deps.sh)');
const work = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-mqtt-'));
const PUBLISHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mqtt-load-publisher.ts');

/** Publishes SOUTH_MESSAGES messages from a separate process. */
function publishLoad(topic: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PUBLISHER, broker!.url, topic, String(SOUTH_MESSAGES)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the publisher exited with ${code}`))));
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface SouthRun {
  rate: number;
  /** CPU time of this process per message (µs): robust against the other processes' load */
  cpuUs: number;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function southbound(): Promise<SouthRun> {
  const tag: DriverTag = {
    id: 'v',
    name: 'v',
    address: 'bench/south|value|ts',
    dataType: 'Double',
    accessType: 'Read',
  };
  const frames = new TagFrames(
    'bench',
    new Map([
      [
        'v',
        { ...tag, scaling: null, tagOffset: null, minValue: null, maxValue: null, deadband: null } as unknown as Tag,
      ],
    ]),
  );
  let count = 0;
  let first = 0;
  let last = 0;
  const driver = new MqttDriver();
  await driver.initialise({
    device: { id: 'bench', name: 'bench', protocol: 'Mqtt', endpoint: broker!.url, config: { mqtt: { qos: 0 } } },
    settings: SETTINGS,
    groups: [{ id: 'all', intervalMs: 1000, tags: [tag] }],
    push: (outcome: ScanOutcome) => {
      if (first === 0) first = performance.now();
      count += frames.build(outcome.readings).length;
      last = performance.now();
    },
  });
  await driver.connect();
  const cpu = cpuMicros();
  await publishLoad('bench/south');
  await until(() => count >= SOUTH_MESSAGES, 60_000);
  const cpuUs = (cpuMicros() - cpu) / count;
  await driver.shutdown();
  return { rate: (count * 1000) / (last - first), cpuUs };
}

async function bareSubscriber(): Promise<SouthRun> {
  const client = await mqtt.connectAsync(broker!.url, { reconnectPeriod: 0 });
  let count = 0;
  let first = 0;
  let last = 0;
  client.on('message', () => {
    if (first === 0) first = performance.now();
    count++;
    last = performance.now();
  });
  await client.subscribeAsync('bench/bare', { qos: 0 });
  const cpu = cpuMicros();
  await publishLoad('bench/bare');
  await until(() => count >= SOUTH_MESSAGES, 60_000);
  const cpuUs = (cpuMicros() - cpu) / count;
  await client.endAsync(true);
  return { rate: (count * 1000) / (last - first), cpuUs };
}

async function northbound(mode: 'batch' | 'tag', run: number): Promise<number> {
  const dir = await mkdtemp(path.join(work, 'wal-'));
  const wal = await openTestWal(dir);
  const bus = new FrameBus({ wal });
  for (let i = 0; i < NORTH_VALUES; i++) bus.publish(dataBody(`tag-${i % 1000}`, i));
  await bus.flush();
  const northbound = new MqttNorthbound(
    mqttNorthboundSchema.parse({ url: broker!.url, mode, topicPrefix: `bench${run}`, batchSize: 1000, retain: false }),
    (frame) => Promise.resolve({ device: frame.deviceId, tag: frame.tagId }),
  );
  const started = performance.now();
  await northbound.start(wal, `bench-${mode}`);
  await until(() => northbound.publishedValues >= NORTH_VALUES, 120_000);
  const rate = (NORTH_VALUES * 1000) / (performance.now() - started);
  await northbound.stop();
  await bus.close();
  await rm(dir, { recursive: true, force: true });
  return rate;
}

try {
  const south: SouthRun[] = [];
  const bare: SouthRun[] = [];
  const batched: number[] = [];
  const perTag: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternated, so neither side always runs first (a cold JIT, the previous run's WAL work).
    if (run % 2 === 0) {
      south.push(await southbound());
      bare.push(await bareSubscriber());
    } else {
      bare.push(await bareSubscriber());
      south.push(await southbound());
    }
    batched.push(await northbound('batch', run));
    perTag.push(await northbound('tag', run));
    console.log(
      `run ${run + 1}: southbound ${Math.round(south[run]!.rate)} msg/s mapped, ${south[run]!.cpuUs.toFixed(1)} µs CPU/msg ` +
        `(bare subscriber ${Math.round(bare[run]!.rate)} msg/s, ${bare[run]!.cpuUs.toFixed(1)} µs CPU/msg), ` +
        `northbound ${Math.round(batched[run]!)} values/s batched (per tag ${Math.round(perTag[run]!)})`,
    );
  }
  printBenchResult('mqtt', {
    southboundMessagesPerSecond: {
      value: Math.round(median(south.map((r) => r.rate))),
      unit: 'messages/s',
      target: '>=20000',
      baseline: Math.round(median(bare.map((r) => r.rate))),
    },
    southboundCpuPerMessage: {
      value: Number(median(south.map((r) => r.cpuUs)).toFixed(2)),
      unit: 'µs/message',
      target: '<=50',
      baseline: Number(median(bare.map((r) => r.cpuUs)).toFixed(2)),
    },
    northboundValuesPerSecond: {
      value: Math.round(median(batched)),
      unit: 'values/s',
      target: '>=20000',
      baseline: Math.round(median(perTag)),
    },
  });
} finally {
  await broker.stop();
  await rm(work, { recursive: true, force: true });
}
