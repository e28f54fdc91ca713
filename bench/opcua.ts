// npm run bench:opcua — OPC UA notifications reaching the frame path: 10,000 monitored items,
// 100 ms sampling, values changing every 100 ms on node-opcua's server in a separate process.
// Measured: readings the driver hands on per second (through TagFrames, the runner's own
// conversion to DataFrames) with ≤ 10 subscriptions (1,000 items each), against the same load
// with one subscription per item (the baseline, same run). Median of several windows.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Tag } from '../main/db/repositories/tags-repository.ts';
import type { DriverSettings, DriverTag, ScanOutcome } from '../main/drivers/driver-contract.ts';
import { OpcUaDriver } from '../main/drivers/opcua/opcua-driver.ts';
import { OpcUaPki } from '../main/drivers/opcua/opcua-pki.ts';
import { TagFrames } from '../main/drivers/tag-frames.ts';
import { startOpcUaServer } from '../test/services/opcua-server.ts';
import { median, printBenchResult, round } from './bench-report.ts';

const ITEMS = Number(process.env.BENCH_OPCUA_ITEMS ?? 10_000);
const WINDOW_MS = 3000;
const WINDOWS = 3;
const SETUP_DEADLINE_MS = 120_000;

const SETTINGS: DriverSettings = {
  name: 'bench',
  scanIntervalMs: 100,
  timeoutMs: 30_000,
  maxConcurrent: 1,
  batchSize: 10_000,
  maxRetries: 3,
  retryIntervalMs: 1000,
  exponentialBackoff: true,
  maxRetryIntervalMs: 10_000,
};

async function measure(
  endpoint: string,
  node: (id: string) => string,
  pki: OpcUaPki,
  perSubscription: number,
): Promise<{ rates: number[]; subscriptions: number; setupMs: number } | { failed: string }> {
  const tags: DriverTag[] = Array.from({ length: ITEMS }, (_, i) => ({
    id: `t${i}`,
    name: `t${i}`,
    address: node(`Bench.${i}`),
    dataType: 'Double',
    accessType: 'Read',
  }));
  const rows = new Map(
    tags.map((tag) => [
      tag.id,
      { ...tag, scaling: null, tagOffset: null, minValue: null, maxValue: null, deadband: null } as unknown as Tag,
    ]),
  );
  const frames = new TagFrames('bench', rows);
  let count = 0;
  const push = (outcome: ScanOutcome) => {
    count += frames.build(outcome.readings).length;
  };
  const driver = new OpcUaDriver(pki);
  await driver.initialise({
    device: {
      id: 'bench',
      name: 'bench',
      protocol: 'OpcUa',
      endpoint,
      config: { opcua: { maxItemsPerSubscription: perSubscription, queueSize: 1 } },
    },
    settings: SETTINGS,
    groups: [{ id: '100ms', intervalMs: 100, tags }],
    push,
  });
  const started = performance.now();
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      driver.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`setup took over ${SETUP_DEADLINE_MS} ms`)), SETUP_DEADLINE_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    await driver.shutdown();
    return { failed: (error as Error).message };
  }
  const setupMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000)); // initial values and warm-up
  const rates: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const before = count;
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    rates.push(((count - before) * 1000) / (performance.now() - t0));
  }
  const subscriptions = driver.subscriptionCount();
  await driver.shutdown();
  return { rates, subscriptions, setupMs };
}

const server = await startOpcUaServer({
  plantVariables: 0,
  bigFolderChildren: 0,
  benchVariables: ITEMS,
  benchChangeMs: 100,
  startTimeoutMs: 600_000,
});
const pkiDir = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-opcua-pki-'));
const pki = new OpcUaPki(pkiDir);
try {
  const grouped = await measure(server.endpoint, server.node, pki, 1000);
  if ('failed' in grouped) throw new Error(`the grouped run failed: ${grouped.failed}`);
  const groupedRate = median(grouped.rates);
  console.log(
    `${ITEMS} items in ${grouped.subscriptions} subscriptions: set up in ${round(grouped.setupMs / 1000, 1)} s, ` +
      `notifications/s per window ${grouped.rates.map((r) => Math.round(r)).join(', ')} (median ${Math.round(groupedRate)})`,
  );
  const single = await measure(server.endpoint, server.node, pki, 1);
  let baseline: number | null = null;
  if ('failed' in single) {
    console.log(`baseline, one subscription per item: ${single.failed}`);
  } else {
    baseline = median(single.rates);
    console.log(
      `baseline, ${single.subscriptions} subscriptions of one item: set up in ${round(single.setupMs / 1000, 1)} s, ` +
        `notifications/s ${single.rates.map((r) => Math.round(r)).join(', ')} (median ${Math.round(baseline)})`,
    );
  }
  printBenchResult('opcua', {
    notificationsPerSecond: {
      value: Math.round(groupedRate),
      unit: 'notifications/s',
      target: '>=10000',
      baseline: baseline === null ? null : Math.round(baseline),
    },
    subscriptions: {
      value: grouped.subscriptions,
      unit: 'subscriptions',
      target: '<=10',
      baseline: single && !('failed' in single) ? single.subscriptions : null,
    },
  });
} finally {
  await pki.dispose();
  await server.stop();
  await rm(pkiDir, { recursive: true, force: true });
}
