// npm run bench:historian — the historian's stores, with same-run baselines:
//  * ingest into a local InfluxDB 1.x (Debian's influxd, started here): batched gzip writes of
//    5,000 lines, gzip level 1, four in flight, beside one line per request;
//  * ingest into the embedded RocksDB series store (raw samples plus 10 s / 1 min / 1 h aggregates),
//    and its CPU per sample as the live gateway writes: 10,000 tags at 1 Hz, one sample per tag
//    per write of LIVE_WRITE samples (what the tag-grid benchmark of bench:ui drains);
//  * the historian draining a WAL backlog (as after an outage) through its durable consumer into
//    each store, checkpoint confirmed, with the CPU time per point of this process and of influxd
//    and its breakdown (WAL read + decode, line protocol, gzip);
//  * a trend of 8 tags × 24 h at 1 Hz (691,200 samples) for a 1,200-px chart, from the embedded
//    store and from InfluxDB, beside reading the same range raw.
// Each figure is the median of several runs (BENCH_RUNS, default 3). BENCH_HISTORIAN_ONLY, a comma
// list of `ingest` (InfluxDB ingest), `store` (embedded ingest, trends) and `drain` (default: all),
// runs only those parts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { FrameBus } from '../main/bus/frame-bus.ts';
import type { Frame } from '../main/frames/frame.ts';
import { EmbeddedBackend } from '../main/historian/embedded-backend.ts';
import { openEmbeddedSeriesStore, type SeriesSample } from '../main/historian/embedded-series-store.ts';
import type { HistorianBackend, LabelledPoint } from '../main/historian/historian-backend.ts';
import { Historian } from '../main/historian/historian.ts';
import { InfluxV1Backend } from '../main/historian/influx-v1-backend.ts';
import { GZIP_OPTIONS } from '../main/historian/influx-v1-client.ts';
import { LineBatch, LineBatchBuilder, LineBufferPool } from '../main/historian/influx-line-batch.ts';
import { appendDeviceData, deviceDataLine, deviceDataSeriesKey } from '../main/historian/influx-line-protocol.ts';
import { TagCatalog, type TagLabels } from '../main/historian/tag-catalog.ts';
import { TrendService } from '../main/historian/trend-service.ts';
import { type FrameWal, openFrameWal } from '../main/wal/frame-wal.ts';
import { openRocksDbStorage } from '../main/wal/rocksdb-storage.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';
import { type InfluxDbServer, startInfluxDb } from '../test/services/influxdb-server.ts';
import { type BenchMetric, median, printBenchResult, round } from './bench-report.ts';
import { processCpuMs } from './process-cpu.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTS = new Set((process.env.BENCH_HISTORIAN_ONLY ?? 'ingest,store,drain').split(','));
const TAGS = 8;
const DAY_SECONDS = 86_400;
const INGEST_POINTS = 200_000;
const BASELINE_SECONDS = 2;
const WIDTH_PX = 1200;
/** the live shape: tags at 1 Hz, samples per store write, seconds measured after a first one */
const LIVE_TAGS = 10_000;
const LIVE_WRITE = 1_000;
const LIVE_SECONDS = 30;
/** frames in the WAL backlog the historian drains */
const DRAIN_FRAMES = 400_000;

const tags: TagLabels[] = Array.from({ length: TAGS }, (_, i) => ({
  tagId: `0000000${i}-e29b-41d4-a716-446655440000`,
  deviceId: `550e8400-e29b-41d4-a716-44665544000${i % 2}`,
  deviceName: `PLC-00${i % 2}`,
  tagName: `temperature_${i}`,
  protocol: 'ModbusTcp',
  location: 'Workshop A',
  unit: '°C',
}));

/** `count` samples, round-robin over the tags, one second apart per tag, ending before `endMs`. */
function points(count: number, endMs: number, offsetNs = 0n): LabelledPoint[] {
  const perTag = Math.ceil(count / TAGS);
  const startMs = endMs - perTag * 1000;
  const result: LabelledPoint[] = [];
  for (let i = 0; i < count; i++) {
    const tag = tags[i % TAGS]!;
    const second = Math.floor(i / TAGS);
    const value = 20 + 10 * Math.sin(second / 600 + i) + (second % 7) * 0.01;
    result.push({
      labels: tag,
      tagId: tag.tagId,
      deviceId: tag.deviceId,
      timeNs: BigInt(startMs + second * 1000) * 1_000_000n + offsetNs,
      value,
      rawValue: value * 10,
      quality: 0,
      errorCode: 0,
    });
  }
  return result;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

interface Cost {
  ms: number;
  /** CPU time of this process (main thread, RocksDB's and libuv's threads), and of influxd */
  cpuMs: number;
  influxCpuMs: number;
}

/** Wall time and CPU time of `work`, here and in influxd. */
async function costOf(work: () => Promise<unknown>, influx?: InfluxDbServer): Promise<Cost> {
  const influxBefore = processCpuMs(influx?.pid) ?? 0;
  const cpuBefore = process.cpuUsage();
  const ms = await timed(work);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    influxCpuMs: (processCpuMs(influx?.pid) ?? 0) - influxBefore,
  };
}

const perPointUs = (ms: number, count: number): number => round((ms * 1000) / count, 2);

/**
 * A WAL holding DRAIN_FRAMES DataFrames as drivers publish them: the 8 tags at 1 Hz, ending an
 * hour ago (the backlog an outage leaves).
 */
async function backlogWal(folder: string, endMs: number): Promise<FrameWal> {
  const wal = await openFrameWal({
    storage: await openRocksDbStorage(folder),
    durability: 'async',
    groupCommitFrames: 5000,
    retention: { intervalMs: 0 },
  });
  const all = points(DRAIN_FRAMES, endMs);
  for (let i = 0; i < all.length; i++) {
    const p = all[i]!;
    wal.append({
      type: 'data',
      sequenceId: i + 1,
      timestamp: p.timeNs + 1_000_000n,
      payload: {
        tagId: p.tagId,
        deviceId: p.deviceId,
        value: { kind: { $case: 'doubleValue', value: p.value } },
        rawValue: p.rawValue,
        sourceTimestamp: p.timeNs,
        quality: Quality.QUALITY_GOOD,
        qualityReason: QualityReason.QUALITY_REASON_NONE,
        errorCode: 0,
      },
    } satisfies Frame);
    if (i % 5000 === 4999) {
      if (wal.pendingFrames > 50_000) await wal.whenDurable(i + 1 - 25_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await wal.flush();
  return wal;
}

/** The historian drains the whole backlog into `backend` through a fresh durable consumer. */
async function drain(wal: FrameWal, backend: HistorianBackend, name: string, influx?: InfluxDbServer): Promise<Cost> {
  const catalog = new TagCatalog(async () => tags);
  const bus = new FrameBus({ wal });
  let historian: Historian | undefined;
  const cost = await costOf(async () => {
    historian = await Historian.start({ backend, catalog, wal, bus, consumerName: name, liveTailMs: 0 });
    while (historian.status().backlog.frames > 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }, influx);
  const status = historian!.status();
  if (status.pointsWritten !== DRAIN_FRAMES) {
    throw new Error(`the historian stored ${status.pointsWritten} points of ${DRAIN_FRAMES}`);
  }
  await historian!.stop();
  await wal.removeConsumer(name);
  return cost;
}

/** The same backlog read by a durable consumer whose sink does nothing: WAL read + decode. */
async function walReadCost(wal: FrameWal, name: string): Promise<Cost> {
  let consumer: Awaited<ReturnType<FrameWal['consume']>> | undefined;
  const cost = await costOf(async () => {
    consumer = await wal.consume(name, async () => undefined, { types: ['data', 'event'], batchSize: 20_000 });
    while (consumer.checkpoint < wal.committedSequenceId) await new Promise((resolve) => setTimeout(resolve, 2));
  });
  await wal.removeConsumer(name);
  return cost;
}

/**
 * The median cost of three runs of `work`: a single run of a short measurement may carry the
 * garbage collection of what came before it, or code not optimized yet.
 */
async function steadyCost(work: () => Promise<unknown>): Promise<Cost> {
  const costs: Cost[] = [];
  for (let run = 0; run < 3; run++) costs.push(await costOf(work));
  return medianCost(costs);
}

function medianCost(costs: Cost[]): Cost {
  return {
    ms: median(costs.map((c) => c.ms)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
    influxCpuMs: median(costs.map((c) => c.influxCpuMs)),
  };
}

/**
 * CPU per sample of the embedded store fed as the live gateway feeds it: LIVE_TAGS series at
 * 1 Hz, each write holding one sample of LIVE_WRITE of them. The first second (each series' first
 * sample in this run) is measured apart from the LIVE_SECONDS after it.
 */
async function liveIngestCost(folder: string, endMs: number): Promise<{ firstUs: number; steadyUs: number }> {
  const store = await openEmbeddedSeriesStore({
    storage: await openRocksDbStorage(folder, 'the embedded series store'),
    retentionIntervalMs: 0,
  });
  const seriesIds = Array.from({ length: LIVE_TAGS }, (_, i) => `live-${String(i).padStart(5, '0')}-e29b-41d4-a716`);
  const startMs = endMs - (LIVE_SECONDS + 1) * 1000;
  const second = async (s: number) => {
    const timeNs = BigInt(startMs + s * 1000) * 1_000_000n;
    for (let from = 0; from < LIVE_TAGS; from += LIVE_WRITE) {
      const samples: SeriesSample[] = [];
      for (let i = from; i < Math.min(LIVE_TAGS, from + LIVE_WRITE); i++) {
        const value = (i % 1000) + ((s * 1000) % 60_000);
        samples.push({ seriesId: seriesIds[i]!, timeNs, value, rawValue: value, quality: 0, errorCode: 0 });
      }
      await store.write(samples);
    }
  };
  try {
    const first = await costOf(() => second(0));
    const steady = await costOf(async () => {
      for (let s = 1; s <= LIVE_SECONDS; s++) await second(s);
    });
    return {
      firstUs: perPointUs(first.cpuMs, LIVE_TAGS),
      steadyUs: perPointUs(steady.cpuMs, LIVE_TAGS * LIVE_SECONDS),
    };
  } finally {
    await store.close();
  }
}

async function write(backend: HistorianBackend, all: LabelledPoint[], batch = 20_000): Promise<void> {
  for (let i = 0; i < all.length; i += batch) await backend.writeDevicePoints(all.slice(i, i + batch));
}

async function main(): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'gw-bench-historian-'));
  const influx = await startInfluxDb();
  if (!influx) throw new Error('influxd is needed for bench:historian (Debian package influxdb)');
  const catalog = new TagCatalog(async () => tags);
  try {
    const now = Date.now();
    const metrics: Record<string, BenchMetric> = {};
    if (PARTS.has('ingest')) {
      // --- InfluxDB ingest: batched gzip vs one line per request ---
      const batchedRates: number[] = [];
      const batchedCosts: Cost[] = [];
      const singleRates: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const backend = new InfluxV1Backend({ url: influx.url, database: `ingest_${run}`, lateAggregationDelayMs: 0 });
        await backend.prepare();
        const batch = points(INGEST_POINTS, now - 3_600_000, BigInt(run));
        const cost = await costOf(() => write(backend, batch), influx);
        batchedCosts.push(cost);
        batchedRates.push(INGEST_POINTS / (cost.ms / 1000));
        const lines = points(100_000, now - 7_200_000).map((p) => deviceDataLine(deviceDataSeriesKey(p.labels), p)!);
        let sent = 0;
        const until = performance.now() + BASELINE_SECONDS * 1000;
        const started = performance.now();
        while (performance.now() < until) await backend.client.write(LineBatch.of([lines[sent++]!]), 'raw_data');
        singleRates.push(sent / ((performance.now() - started) / 1000));
        await backend.close();
      }
      const influxBatched = median(batchedRates);
      const influxSingle = median(singleRates);
      const batchedCost = medianCost(batchedCosts);
      console.log(
        `InfluxDB 1.x ingest: ${round(influxBatched, 0)} points/s batched (5,000 lines, gzip level 1, 4 in flight), ` +
          `${round(influxSingle, 0)} points/s one line per request: ${round(influxBatched / influxSingle, 1)}×; ` +
          `CPU per point: ${perPointUs(batchedCost.cpuMs, INGEST_POINTS)} µs here, ` +
          `${perPointUs(batchedCost.influxCpuMs, INGEST_POINTS)} µs in influxd`,
      );

      // --- where a point's CPU time goes on this side: line protocol, gzip ---
      const sample = points(INGEST_POINTS, now - 3_600_000);
      const key = deviceDataSeriesKey(tags[0]!);
      const prefix = Buffer.from(`${key} `);
      let batches: LineBatch[] = [];
      const pool = new LineBufferPool(5000 * 320, 64);
      // as the InfluxDB backend builds them: straight into pooled bytes, the series key encoded once
      const encodeCost = await steadyCost(async () => {
        for (const batch of batches) batch.release();
        const builder = new LineBatchBuilder(pool);
        batches = [];
        for (let i = 0; i < sample.length; i++) {
          appendDeviceData(builder, prefix, sample[i]!);
          if (builder.count === 5000) batches.push(builder.take());
        }
        builder.discard();
      });
      const bodies = batches.map((batch) => batch.bytes);
      // the way before: lines as strings, joined, encoded
      const stringsCost = await steadyCost(async () => {
        for (let i = 0; i < sample.length; i += 5000) {
          const text = sample
            .slice(i, i + 5000)
            .map((p) => deviceDataLine(key, p)!)
            .join('\n');
          Buffer.from(text);
        }
      });
      const gzipAsync = promisify(gzip);
      const gzipCosts: Record<string, Cost> = {};
      const gzipRatios: Record<string, number> = {};
      for (const [label, options] of [
        ['level 1 (used)', GZIP_OPTIONS],
        ['level 6 (zlib default)', {}],
      ] as const) {
        let zipped = 0;
        gzipCosts[label] = await steadyCost(async () => {
          zipped = 0;
          for (const body of bodies) zipped += (await gzipAsync(body, options)).length;
        });
        gzipRatios[label] = bodies.reduce((sum, body) => sum + body.length, 0) / zipped;
      }
      console.log(
        `  line protocol ${perPointUs(encodeCost.cpuMs, INGEST_POINTS)} µs per point into bytes ` +
          `(${perPointUs(stringsCost.cpuMs, INGEST_POINTS)} µs as strings joined and encoded); gzip ` +
          Object.entries(gzipCosts)
            .map(
              ([label, c]) => `${label} ${perPointUs(c.cpuMs, INGEST_POINTS)} µs (${round(gzipRatios[label]!, 1)}:1)`,
            )
            .join(', '),
      );
      metrics.influxIngestPointsPerSecond = {
        value: round(influxBatched, 0),
        unit: 'points/s',
        target: '>=100000',
        baseline: round(influxSingle, 0),
      };
      metrics.influxIngestSpeedup = {
        value: round(influxBatched / influxSingle, 1),
        unit: 'x',
        target: '>=30',
        baseline: 1,
      };
    }

    if (PARTS.has('store')) {
      // --- a day of 8 tags at 1 Hz into both stores ---
      const day = points(TAGS * DAY_SECONDS, now);
      const store = await openEmbeddedSeriesStore({
        storage: await openRocksDbStorage(path.join(base, 'series'), 'the embedded series store'),
        retentionIntervalMs: 0,
      });
      const embedded = new EmbeddedBackend(store);
      const embeddedIngestMs = await timed(() => write(embedded, day, 5000));
      const embeddedRate = day.length / (embeddedIngestMs / 1000);
      // the store's own write path without the historian's label objects, for comparison
      const samples: SeriesSample[] = day
        .slice(0, 200_000)
        .map((p) => ({ ...p, seriesId: `raw-${p.tagId}`, timeNs: p.timeNs + 1n }));
      const storeOnlyMs = await timed(async () => {
        for (let i = 0; i < samples.length; i += 5000) await store.write(samples.slice(i, i + 5000));
      });
      console.log(
        `embedded store ingest: ${round(embeddedRate, 0)} points/s (${day.length} samples with aggregates), ` +
          `${round(samples.length / (storeOnlyMs / 1000), 0)} points/s store.write alone`,
      );
      const dayInflux = new InfluxV1Backend({
        url: influx.url,
        database: 'trend',
        lateAggregationDelayMs: 0,
        timeoutMs: 300_000,
      });
      await dayInflux.prepare();
      await write(dayInflux, day);
      // the samples arrived after their minutes ended (as after an outage): aggregate them now
      const backfillMs = await timed(() => dayInflux.backfill(now - DAY_SECONDS * 1000, now));
      console.log(`InfluxDB backfill of 24 h × 8 tags (minute, hourly, daily aggregates): ${round(backfillMs, 0)} ms`);

      // --- trend query: 24 h × 8 tags → 1,200 px ---
      const query = {
        tagIds: tags.map((t) => t.tagId),
        fromMs: now - DAY_SECONDS * 1000,
        toMs: now,
        widthPx: WIDTH_PX,
      };
      const results: Record<string, number[]> = { embedded: [], embeddedRaw: [], influx: [], influxRaw: [] };
      const embeddedTrends = new TrendService(embedded, catalog, undefined, () => undefined);
      const influxTrends = new TrendService(dayInflux, catalog, undefined, () => undefined);
      let buckets = 0;
      let influxBuckets = 0;
      let influxSource = '';
      let points24 = 0;
      for (let run = 0; run < RUNS; run++) {
        results.embedded!.push(
          await timed(async () => {
            const trend = await embeddedTrends.query(query);
            buckets = trend.series[0]!.t.length;
          }),
        );
        results.influx!.push(
          await timed(async () => {
            const trend = await influxTrends.query(query);
            influxBuckets = trend.series[0]!.t.length;
            influxSource = trend.source;
          }),
        );
        results.embeddedRaw!.push(
          await timed(async () => {
            points24 = 0;
            for await (const rows of embeddedTrends.rawRows(query.tagIds, query.fromMs, query.toMs))
              points24 += rows.length;
          }),
        );
        results.influxRaw!.push(
          await timed(() =>
            dayInflux.client.query(
              `SELECT "value" FROM "trend"."raw_data"."device_data" WHERE time >= ${query.fromMs}ms AND time < ${query.toMs}ms`,
              { epoch: 'ms' },
            ),
          ),
        );
      }
      const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<string, number>;
      console.log(
        `trend 8 tags × 24 h (${points24} samples) → ${WIDTH_PX} px (${buckets} buckets per tag): ` +
          `embedded ${round(m.embedded!, 1)} ms (raw read ${round(m.embeddedRaw!, 0)} ms), ` +
          `InfluxDB ${round(m.influx!, 1)} ms from ${influxSource}, ${influxBuckets} buckets per tag (raw SELECT ${round(m.influxRaw!, 0)} ms)`,
      );
      await dayInflux.close();
      await store.close();
      metrics.embeddedIngestPointsPerSecond = {
        value: round(embeddedRate, 0),
        unit: 'points/s',
        target: '>=100000',
        baseline: null,
      };
      const live: { firstUs: number; steadyUs: number }[] = [];
      for (let run = 0; run < RUNS; run++) live.push(await liveIngestCost(path.join(base, `live-${run}`), now));
      const liveFirstUs = median(live.map((l) => l.firstUs));
      const liveSteadyUs = median(live.map((l) => l.steadyUs));
      console.log(
        `embedded store, ${LIVE_TAGS} tags at 1 Hz in writes of ${LIVE_WRITE}: CPU ${liveSteadyUs} µs per sample ` +
          `(${round((liveSteadyUs * LIVE_TAGS) / 1000, 0)} ms/s), ${liveFirstUs} µs for each tag's first sample`,
      );
      metrics.embeddedLiveIngestUsPerPoint = {
        value: liveSteadyUs,
        unit: 'µs CPU per sample',
        target: '<=10',
        baseline: null,
      };
      metrics.embeddedTrendQueryMs = {
        value: round(m.embedded!, 1),
        unit: 'ms',
        target: '<=100',
        baseline: round(m.embeddedRaw!, 1),
      };
      metrics.influxTrendQueryMs = {
        value: round(m.influx!, 1),
        unit: 'ms',
        target: '<=300',
        baseline: round(m.influxRaw!, 1),
      };
    }

    if (PARTS.has('drain')) {
      // --- the historian draining a WAL backlog through its durable consumer (last: influxd compacts
      // what it took for a while after, which would slow the measurements above) ---
      const wal = await backlogWal(path.join(base, 'wal'), now - 3_600_000);
      const walCosts: Cost[] = [];
      const influxDrains: Cost[] = [];
      const embeddedDrains: Cost[] = [];
      for (let run = 0; run < RUNS; run++) {
        walCosts.push(await walReadCost(wal, `read-${run}`));
        const influxBackend = new InfluxV1Backend({
          url: influx.url,
          database: `drain_${run}`,
          lateAggregationDelayMs: 0,
        });
        await influxBackend.prepare();
        influxDrains.push(await drain(wal, influxBackend, `influx-${run}`, influx));
        const drainStore = await openEmbeddedSeriesStore({
          storage: await openRocksDbStorage(path.join(base, `drain-${run}`), 'the embedded series store'),
          retentionIntervalMs: 0,
        });
        embeddedDrains.push(await drain(wal, new EmbeddedBackend(drainStore), `embedded-${run}`));
      }
      await wal.close();
      const walCost = medianCost(walCosts);
      const influxDrain = medianCost(influxDrains);
      const embeddedDrain = medianCost(embeddedDrains);
      const influxDrainRate = DRAIN_FRAMES / (influxDrain.ms / 1000);
      const embeddedDrainRate = DRAIN_FRAMES / (embeddedDrain.ms / 1000);
      console.log(
        `historian draining a WAL backlog of ${DRAIN_FRAMES} points (durable consumer, checkpoint confirmed): ` +
          `InfluxDB ${round(influxDrainRate, 0)} points/s (CPU per point ${perPointUs(influxDrain.cpuMs, DRAIN_FRAMES)} µs here, ` +
          `${perPointUs(influxDrain.influxCpuMs, DRAIN_FRAMES)} µs in influxd), ` +
          `embedded store ${round(embeddedDrainRate, 0)} points/s (CPU ${perPointUs(embeddedDrain.cpuMs, DRAIN_FRAMES)} µs per point); ` +
          `of which WAL read + decode ${perPointUs(walCost.cpuMs, DRAIN_FRAMES)} µs per point ` +
          `(${round(DRAIN_FRAMES / (walCost.ms / 1000), 0)} frames/s into a sink that does nothing)`,
      );
      // the same targets, end to end: WAL → durable consumer → store → checkpoint; the baseline
      // is the WAL read alone into a sink that does nothing
      metrics.influxDrainFromWalPointsPerSecond = {
        value: round(influxDrainRate, 0),
        unit: 'points/s',
        target: '>=100000',
        baseline: round(DRAIN_FRAMES / (walCost.ms / 1000), 0),
      };
      metrics.embeddedDrainFromWalPointsPerSecond = {
        value: round(embeddedDrainRate, 0),
        unit: 'points/s',
        target: '>=100000',
        baseline: round(DRAIN_FRAMES / (walCost.ms / 1000), 0),
      };
    }

    printBenchResult('historian', metrics);
  } finally {
    await influx.stop();
    await rm(base, { recursive: true, force: true });
  }
}

await main();
