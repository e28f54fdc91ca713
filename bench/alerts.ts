// npm run bench:alerts — the alert engine under load: 10,000 rules over 10,000 tags, 10,000 value
// frames/s published on the real frame bus (WAL writing, async durability), alert history
// written to embedded PGlite, as in the default gateway.
//  * CPU used by alert evaluation, as a share of one core: the process's CPU time with the
//    engine running minus the same load without it (the baseline, measured in the same run);
//  * p99 time from a value frame's publish to its alert Event frame reaching a live subscriber
//    (what the UI sees), beside the bus's own publish → subscriber p99 without the engine.
// Measured with the embedded PGlite (the default) and, when it is installed, a PostgreSQL
// server started for the run. Each figure is the median of BENCH_RUNS runs (default 3).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AlertEngine } from '../main/alerts/alert-engine.ts';
import { FrameBus } from '../main/bus/frame-bus.ts';
import { openDatabase, type DatabaseHandle } from '../main/db/database.ts';
import { repositories } from '../main/db/repositories/repositories.ts';
import type { NewAlertRule } from '../main/db/repositories/alert-rules-repository.ts';
import { alertRules } from '../drizzle/schema/alerts.ts';
import { openFrameWal, type FrameWal } from '../main/wal/frame-wal.ts';
import { openRocksDbStorage } from '../main/wal/rocksdb-storage.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';
import { startPostgres } from '../test/services/postgres-server.ts';
import { type BenchMetric, median, percentile, printBenchResult, round } from './bench-report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TAGS = 10_000;
const DEVICES = 10;
const RATE = 10_000; // value frames per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BURST_MS = 10;
/** share of value updates that spike past the thresholds (BENCH_SPIKE=0.02 is an alert storm) */
const SPIKE = Number(process.env.BENCH_SPIKE ?? 0.002);

interface Setup {
  folder: string;
  database: DatabaseHandle;
  tagIds: string[];
  deviceOf: string[];
  startMs: number;
}

/** 10 devices × 1,000 tags and one rule per tag, of four kinds (plain, range, window, arithmetic). */
async function setup(url: string | undefined): Promise<Setup> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-alerts-'));
  const database = await openDatabase(url ? { url } : { pgliteDir: path.join(folder, 'pglite') });
  const repos = repositories(database.db);
  const tagIds: string[] = [];
  const deviceOf: string[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const device = await repos.devices.create({
      name: `PLC-${d}`,
      protocol: 'ModbusTcp',
      endpoint: `127.0.0.1:${5020 + d}`,
    });
    const created = await repos.tags.createMany(
      Array.from({ length: TAGS / DEVICES }, (_, i) => ({
        deviceId: device.id,
        name: `T${i}`,
        address: `4${String(i + 1).padStart(4, '0')}`,
        dataType: 'Float' as const,
      })),
    );
    for (const tag of created) {
      tagIds.push(tag.id);
      deviceOf.push(device.id);
    }
  }
  const rules: NewAlertRule[] = tagIds.map((tagId, i) => {
    const base = {
      name: `R${i}`,
      tagId,
      deviceId: deviceOf[i] ?? null,
      level: 'WARNING' as const,
      evalInterval: 1_000,
      cooldownDuration: 0,
    };
    switch (i % 4) {
      case 0:
        return { ...base, conditionExpression: 'value', op: 'GT', thresholdValue: 95, deadband: 1 };
      case 1:
        return { ...base, conditionExpression: 'value', op: 'NOT_BETWEEN', thresholdLow: 3, thresholdHigh: 97 };
      case 2:
        return { ...base, conditionExpression: 'avg(value, 10)', op: 'GT', thresholdValue: 90 };
      default:
        return {
          ...base,
          conditionExpression: 'abs(value - 50) * 2',
          op: 'GTE',
          thresholdValue: 96,
          evalDuration: 500,
        };
    }
  });
  for (let i = 0; i < rules.length; i += 1_000) await database.db.insert(alertRules).values(rules.slice(i, i + 1_000));
  return { folder, database, tagIds, deviceOf, startMs: 0 };
}

interface PhaseResult {
  cpuShare: number;
  /** frame publish → alert Event at a live subscriber (with the engine), or → data frame at a subscriber */
  latencies: number[];
  events: number;
  /** every alert lifecycle change the engine made */
  changes: number;
  frames: number;
  historyBacklog: number;
}

async function phase(s: Setup, withEngine: boolean, run: number, seconds = SECONDS): Promise<PhaseResult> {
  const walDir = path.join(s.folder, `wal-${withEngine ? 'engine' : 'base'}-${run}`);
  const wal: FrameWal = await openFrameWal({
    storage: await openRocksDbStorage(walDir),
    durability: 'async',
    retention: { intervalMs: 0 },
  });
  const bus = new FrameBus({ wal });
  const publishedAt = new Float64Array(s.tagIds.length);
  const indexOf = new Map(s.tagIds.map((id, i) => [id, i]));
  const latencies: number[] = [];
  let events = 0;
  let changeCount = 0;
  let engine: AlertEngine | undefined;
  if (withEngine) {
    engine = new AlertEngine({ db: s.database.db, bus, wal, communicationDelayMs: null });
    await engine.start();
    bus.subscribe({ name: 'ui', types: ['event'] }, (frame) => {
      if (frame.type !== 'event' || frame.payload.detail?.$case !== 'alert') return;
      changeCount++;
      const { tagId, status } = frame.payload.detail.value;
      if (status !== 'ACTIVE' && status !== 'RESOLVED') return;
      const i = indexOf.get(tagId);
      // Only rules that change on a value frame (kinds 0 and 1): window and duration rules may
      // also change on the engine's timer, long after the tag's last frame.
      if (i === undefined || i % 4 > 1) return;
      events++;
      latencies.push(performance.now() - (publishedAt[i] as number));
    });
  } else {
    let n = 0;
    bus.subscribe({ name: 'ui', types: ['data'] }, (frame) => {
      // Sample the bus's own delivery latency at the rate the engine produces events.
      if (frame.type === 'data' && ++n % 50 === 0) {
        latencies.push(performance.now() - (publishedAt[indexOf.get(frame.payload.tagId) as number] as number));
      }
    });
  }
  // Values wander around 50; SPIKE of the updates (default 0.2 %) are a spike to 99 that the
  // next update of the tag takes back: alerts fire and resolve on value frames (about 35
  // alert changes per second by default, 350 at BENCH_SPIKE=0.02).
  const values = new Float64Array(s.tagIds.length).fill(50);
  const perBurst = (RATE * BURST_MS) / 1000;
  let next = 0;
  let frames = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(seconds * RATE, Math.floor(((performance.now() - started) / 1000) * RATE)) - frames;
      const count = Math.max(0, Math.min(due, perBurst * 4));
      for (let k = 0; k < count; k++) {
        const i = next;
        next = (next + 1) % s.tagIds.length;
        const v = Math.random() < SPIKE ? 99 : 50 + (Math.random() - 0.5) * 20;
        values[i] = v;
        publishedAt[i] = performance.now();
        bus.publish({
          type: 'data',
          payload: {
            tagId: s.tagIds[i] as string,
            deviceId: s.deviceOf[i] as string,
            value: { kind: { $case: 'doubleValue', value: v } },
            rawValue: v,
            sourceTimestamp: BigInt(Date.now()) * 1_000_000n,
            quality: Quality.QUALITY_GOOD,
            qualityReason: QualityReason.QUALITY_REASON_NONE,
            errorCode: 0,
          },
        });
      }
      frames += count;
      if (frames >= seconds * RATE) {
        clearInterval(timer);
        resolve();
      }
    }, BURST_MS);
  });
  await bus.drain();
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const historyBacklog = engine?.metrics().historyBacklog ?? 0;
  const changes = changeCount;
  await engine?.stop();
  await bus.close();
  await wal.close();
  await rm(walDir, { recursive: true, force: true });
  return { cpuShare: (cpu.user + cpu.system) / 1000 / elapsedMs, latencies, events, changes, frames, historyBacklog };
}

interface BackendFigures {
  cpu: number;
  baseCpu: number;
  p99: number;
  baseP99: number;
  loadMs: number;
}

async function measure(backend: string, url: string | undefined): Promise<BackendFigures> {
  console.log(`${backend}: setting up ${TAGS} tags and ${TAGS} rules…`);
  const s = await setup(url);
  const loadStart = performance.now();
  const probe = new AlertEngine({ db: s.database.db, bus: undefined as never });
  await probe.reload();
  const loadMs = performance.now() - loadStart;
  console.log(`  rules loaded and compiled in ${round(loadMs, 0)} ms (${probe.metrics().rules} rules)`);
  await phase(s, false, 0, 2); // warm-up (JIT, database), not counted
  const engineShares: number[] = [];
  const baseShares: number[] = [];
  const eventP99: number[] = [];
  const baseP99: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const base = await phase(s, false, run);
    const withEngine = await phase(s, true, run);
    const share = withEngine.cpuShare - base.cpuShare;
    engineShares.push(share);
    baseShares.push(base.cpuShare);
    eventP99.push(percentile(withEngine.latencies, 99));
    baseP99.push(percentile(base.latencies, 99));
    console.log(
      `  run ${run}: ${withEngine.frames} frames in ${SECONDS} s, ${withEngine.changes} alert changes` +
        ` (${withEngine.events} measured); CPU ${round(withEngine.cpuShare * 100, 1)} % with the engine,` +
        ` ${round(base.cpuShare * 100, 1)} % without → engine ${round(share * 100, 1)} % of one core;` +
        ` frame → Event p99 ${round(percentile(withEngine.latencies, 99), 2)} ms` +
        ` (p50 ${round(percentile(withEngine.latencies, 50), 2)} ms), bus alone p99 ${round(percentile(base.latencies, 99), 2)} ms;` +
        ` history backlog at the end ${withEngine.historyBacklog}`,
    );
  }
  await s.database.close();
  await rm(s.folder, { recursive: true, force: true });
  const figures = {
    cpu: round(median(engineShares) * 100, 1),
    baseCpu: round(median(baseShares) * 100, 1),
    p99: round(median(eventP99), 2),
    baseP99: round(median(baseP99), 2),
    loadMs: round(loadMs, 0),
  };
  console.log(
    `  ${backend}, median of ${RUNS}: engine CPU ${figures.cpu} % of one core (baseline load ${figures.baseCpu} %),` +
      ` frame → Event p99 ${figures.p99} ms (bus alone ${figures.baseP99} ms)`,
  );
  return figures;
}

async function main(): Promise<void> {
  // The default gateway's embedded PGlite runs its queries in a worker thread (the main thread
  // only posts them); a PostgreSQL server (DATABASE_URL) is another process. Both are measured
  // when PostgreSQL is installed.
  const pglite = await measure('PGlite', undefined);
  const server = await startPostgres().catch(() => undefined);
  let postgres: BackendFigures | undefined;
  if (server) {
    try {
      postgres = await measure('PostgreSQL', await server.createDatabase('bench_alerts'));
    } finally {
      await server.stop();
    }
  } else {
    console.log('PostgreSQL is not installed here: measured on PGlite only');
  }
  const metrics: Record<string, BenchMetric> = {
    engine_cpu_share_percent: { value: pglite.cpu, unit: '% of one core', target: '<=25', baseline: pglite.baseCpu },
    frame_to_event_p99_ms: { value: pglite.p99, unit: 'ms', target: '<=10', baseline: pglite.baseP99 },
    rules_load_ms: { value: pglite.loadMs, unit: 'ms', target: '<=5000', baseline: null },
  };
  if (postgres) {
    metrics.engine_cpu_share_percent_postgres = {
      value: postgres.cpu,
      unit: '% of one core',
      target: '<=25',
      baseline: postgres.baseCpu,
    };
    metrics.frame_to_event_p99_ms_postgres = {
      value: postgres.p99,
      unit: 'ms',
      target: '<=10',
      baseline: postgres.baseP99,
    };
  }
  printBenchResult('alerts', metrics);
}

await main();
