// npm run bench:mqtt — MQTT against Debian's Mosquitto on loopback:
//  1. Southbound: 200,000 JSON messages at QoS 0 mapped by the MQTT driver to DataFrames (JSON path
//     + payload timestamp, TagFrames as in the device runner). The messages are queued in Mosquitto
//     first, for the driver's persistent session while it is away (published by a separate
//     process, mqtt-load-publisher.ts), and delivered when it connects: the broker sends as fast
//     as it can, so the figure is what the driver maps, not how fast one publisher publishes.
//     Baseline, same run: a bare mqtt.js subscriber that only counts the same messages.
//     Also, once: the same with the publisher running live, with each process's CPU per message,
//     which shows where a live chain of publisher → Mosquitto → subscriber spends its time.
//  2. Northbound: 100,000 values written to a WAL and published by the durable consumer, batched
//     (1,000 values per message, QoS 1). Baseline, same run: per-tag messages (one per value).
// Each figure is the median of several runs; the southbound also reports this process's CPU time
// per message (driver vs bare subscriber), which the other processes on the machine disturb less.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import type { Tag } from '../main/db/repositories/tags-repository.ts';
import type { DriverSettings, DriverTag, ScanOutcome } from '../main/drivers/driver-contract.ts';
import { MqttDriver } from '../main/drivers/mqtt/mqtt-driver.ts';
import { mqttNorthboundSchema } from '../main/drivers/mqtt/mqtt-northbound-config.ts';
import { MqttNorthbound } from '../main/drivers/mqtt/mqtt-northbound.ts';
import { TagFrames } from '../main/drivers/tag-frames.ts';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { dataBody, openTestWal } from '../test/frame-fixtures.ts';
import { startMosquitto } from '../test/services/mosquitto-server.ts';
import { median, printBenchResult, round } from './bench-report.ts';
import { loadAverage, ownCpuMs, processCpuMs } from './process-cpu.ts';

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

const broker = await startMosquitto({
  // A persistent session's QoS 0 messages are queued while it is away (the pre-queued load), and
  // no queue is capped: Mosquitto drops nothing, so every run counts all of its messages.
  extraConfig: ['queue_qos0_messages true', 'max_queued_messages 0'],
});
if (!broker) throw new Error('mosquitto is needed (scripts/install-test-deps.sh)');
const work = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-mqtt-'));
const PUBLISHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mqtt-load-publisher.ts');

/** Publishes SOUTH_MESSAGES messages from a separate process; resolves with its CPU time (ms). */
function publishLoad(topic: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PUBLISHER, broker!.url, topic, String(SOUTH_MESSAGES)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the publisher exited with ${code}`));
      resolve(Number(/CPU ([\d.]+)/.exec(output)?.[1] ?? Number.NaN));
    });
  });
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The driver or the bare subscriber: connects with a persistent session and counts. */
interface Consumer {
  count: number;
  first: number;
  last: number;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Adds n to the consumer's count, noting the time of the first and of the last. */
function counted(consumer: Consumer, n: number): void {
  const now = performance.now();
  if (consumer.first === 0) consumer.first = now;
  consumer.count += n;
  consumer.last = now;
}

function driverConsumer(topic: string, clientId: string): Consumer {
  const tag: DriverTag = { id: 'v', name: 'v', address: `${topic}|value|ts`, dataType: 'Double', accessType: 'Read' };
  const row = { ...tag, scaling: null, tagOffset: null, minValue: null, maxValue: null, deadband: null };
  const frames = new TagFrames('bench', new Map([['v', row as unknown as Tag]]));
  let driver: MqttDriver | undefined;
  const consumer: Consumer = {
    count: 0,
    first: 0,
    last: 0,
    async open() {
      driver = new MqttDriver();
      await driver.initialise({
        device: {
          id: 'bench',
          name: 'bench',
          protocol: 'Mqtt',
          endpoint: broker!.url,
          config: { mqtt: { qos: 0, clientId, cleanSession: false } },
        },
        settings: SETTINGS,
        groups: [{ id: 'all', intervalMs: 1000, tags: [tag] }],
        push: (outcome: ScanOutcome) => counted(consumer, frames.build(outcome.readings).length),
      });
      await driver.connect();
    },
    async close() {
      await driver?.shutdown();
    },
  };
  return consumer;
}

function bareConsumer(topic: string, clientId: string): Consumer {
  let client: MqttClient | undefined;
  const consumer: Consumer = {
    count: 0,
    first: 0,
    last: 0,
    async open() {
      const opened = mqtt.connect(broker!.url, { clientId, clean: false, reconnectPeriod: 0 });
      client = opened;
      opened.on('message', () => counted(consumer, 1));
      opened.on('error', () => undefined); // a failed connect rejects below; nothing else is expected
      await new Promise<void>((resolve, reject) => {
        opened.once('connect', () => resolve());
        opened.once('error', reject);
      });
      await opened.subscribeAsync(topic, { qos: 0 });
    },
    async close() {
      await client?.endAsync(true);
    },
  };
  return consumer;
}

interface SouthRun {
  rate: number;
  /** CPU time of this process per message (µs): robust against the other processes' load */
  cpuUs: number;
  /** Mosquitto's CPU time per message while delivering (µs) */
  brokerUs: number;
  /** the publisher's CPU time per message (µs), live runs only */
  publisherUs?: number;
}

function reset(consumer: Consumer): void {
  consumer.count = 0;
  consumer.first = 0;
  consumer.last = 0;
}

/** Messages queued in Mosquitto while the consumer is away, delivered when it connects. */
async function preQueued(make: (topic: string, clientId: string) => Consumer, name: string): Promise<SouthRun> {
  const consumer = make(`bench/${name}`, `bench-${name}`);
  await consumer.open(); // the broker now keeps the session and its subscription
  await consumer.close();
  await publishLoad(`bench/${name}`);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the broker reads the last of them
  reset(consumer);
  const cpu = ownCpuMs();
  const brokerCpu = processCpuMs(broker!.pid());
  await consumer.open();
  await until(() => consumer.count >= SOUTH_MESSAGES, 120_000, `${SOUTH_MESSAGES} queued messages`);
  const run = {
    rate: (consumer.count * 1000) / (consumer.last - consumer.first),
    cpuUs: ((ownCpuMs() - cpu) * 1000) / consumer.count,
    brokerUs: (((processCpuMs(broker!.pid()) ?? Number.NaN) - (brokerCpu ?? Number.NaN)) * 1000) / consumer.count,
  };
  await consumer.close();
  return run;
}

/** The publisher running while the consumer is connected. */
async function live(make: (topic: string, clientId: string) => Consumer, name: string): Promise<SouthRun> {
  const consumer = make(`bench/${name}`, `bench-${name}`);
  await consumer.open();
  const cpu = ownCpuMs();
  const brokerCpu = processCpuMs(broker!.pid());
  const publisherMs = await publishLoad(`bench/${name}`);
  await until(() => consumer.count >= SOUTH_MESSAGES, 120_000, `${SOUTH_MESSAGES} live messages`);
  const run = {
    rate: (consumer.count * 1000) / (consumer.last - consumer.first),
    cpuUs: ((ownCpuMs() - cpu) * 1000) / consumer.count,
    brokerUs: (((processCpuMs(broker!.pid()) ?? Number.NaN) - (brokerCpu ?? Number.NaN)) * 1000) / consumer.count,
    publisherUs: (publisherMs * 1000) / SOUTH_MESSAGES,
  };
  await consumer.close();
  return run;
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
  await until(() => northbound.publishedValues >= NORTH_VALUES, 120_000, `${NORTH_VALUES} northbound values`);
  const rate = (NORTH_VALUES * 1000) / (performance.now() - started);
  await northbound.stop();
  await bus.close();
  await rm(dir, { recursive: true, force: true });
  return rate;
}

const describeRun = (run: SouthRun) =>
  `${Math.round(run.rate)} msg/s, ${run.cpuUs.toFixed(1)} µs CPU/msg (Mosquitto ${run.brokerUs.toFixed(1)} µs/msg` +
  `${run.publisherUs === undefined ? '' : `, publisher ${run.publisherUs.toFixed(1)} µs/msg`})`;

try {
  console.log(
    `MQTT, Mosquitto on loopback, ${SOUTH_MESSAGES} messages per southbound run (load average ${loadAverage()})`,
  );
  const south: SouthRun[] = [];
  const bare: SouthRun[] = [];
  const batched: number[] = [];
  const perTag: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternated, so neither side always runs first (a cold JIT, the previous run's WAL work).
    if (run % 2 === 0) {
      south.push(await preQueued(driverConsumer, `south${run}`));
      bare.push(await preQueued(bareConsumer, `bare${run}`));
    } else {
      bare.push(await preQueued(bareConsumer, `bare${run}`));
      south.push(await preQueued(driverConsumer, `south${run}`));
    }
    batched.push(await northbound('batch', run));
    perTag.push(await northbound('tag', run));
    console.log(
      `run ${run + 1}: southbound (queued in Mosquitto) mapped ${describeRun(south[run]!)}; ` +
        `bare subscriber ${describeRun(bare[run]!)}; ` +
        `northbound ${Math.round(batched[run]!)} values/s batched (per tag ${Math.round(perTag[run]!)}) ` +
        `(load average ${loadAverage()})`,
    );
  }
  const liveSouth = await live(driverConsumer, 'live-south');
  const liveBare = await live(bareConsumer, 'live-bare');
  console.log(
    `live publisher (one mqtt.js process publishing while the subscriber is connected): ` +
      `driver ${describeRun(liveSouth)}; bare subscriber ${describeRun(liveBare)} (load average ${loadAverage()})`,
  );
  printBenchResult('mqtt', {
    southboundMessagesPerSecond: {
      value: Math.round(median(south.map((r) => r.rate))),
      unit: 'messages/s',
      target: '>=20000',
      baseline: Math.round(median(bare.map((r) => r.rate))),
    },
    southboundCpuPerMessage: {
      value: round(median(south.map((r) => r.cpuUs))),
      unit: 'µs/message',
      target: '<=50',
      baseline: round(median(bare.map((r) => r.cpuUs))),
    },
    southboundLivePublisherMessagesPerSecond: {
      value: Math.round(liveSouth.rate),
      unit: 'messages/s',
      target: '',
      baseline: Math.round(liveBare.rate),
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
