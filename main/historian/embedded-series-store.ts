// The embedded historian: per-series, time-ordered keys in a RocksDB keyspace of its own (the
// data folder's `series/`), used when no InfluxDB is configured, so trends work on an offline
// laptop. Besides each raw sample it keeps aggregates per 10 s, 1 min and 1 h, updated as
// samples arrive, so a day's trend reads ~1,440 aggregates per tag instead of 86,400 samples.
//
// Keys (a series' keys are contiguous, so a range read never touches another series):
//   r/{series}/{time ns, 16 hex}            raw sample: value, raw value, quality, error code
//   a{level}/{series}/{bucket start ms, 12 hex}   aggregate (series-aggregate.ts)
//   s/{series}                              the series index (retention walks it)
//   e/{time ns, 16 hex}/{rule id}           alert event (JSON)
//
// Writes are idempotent: a sample rewritten with the same series and time overwrites itself, and
// aggregates touched by a rewrite (or by a sample older than the newest one) are recomputed from
// the raw samples of their hour, so a replay after a crash leaves no trace.
import type { WalStorage } from '../wal/wal-storage.ts';
import type { AlertEventPoint } from './historian-points.ts';
import {
  addLater,
  addSample,
  aggregateOf,
  combine,
  decodeAggregate,
  encodeAggregate,
  type Aggregate,
} from './series-aggregate.ts';
import { DURATIONS } from './trend-buckets.ts';
import { TrendSeriesBuilder, type TrendSeries } from './trend-series.ts';

/** A sample of one series (a tag, or a system metric field). */
export interface SeriesSample {
  seriesId: string;
  timeNs: bigint;
  value: number;
  rawValue: number;
  quality: number;
  errorCode: number;
}

export interface EmbeddedSeriesStoreOptions {
  storage: WalStorage;
  /** Raw samples older than this are deleted (default 30 days). */
  retentionDays?: number;
  /** Aggregates (10 s, 1 min, 1 h) older than this are deleted (default 730 days). */
  aggregateRetentionDays?: number;
  /** How often retention runs (default hourly; 0: only when applyRetention() is called). */
  retentionIntervalMs?: number;
  now?: () => number;
}

/** The aggregate levels, finest first; each is a whole number of the one before. */
export const AGGREGATE_LEVELS_MS = [10 * DURATIONS.SECOND, DURATIONS.MINUTE, DURATIONS.HOUR] as const;
const TOP = AGGREGATE_LEVELS_MS.length - 1;
const RAW_BYTES = 21;
const SERIES_ID = /^[\w.:-]{1,200}$/;

interface LevelState {
  bucket: number;
  /** level 0: the samples of the bucket; above: the closed child buckets folded together */
  agg: Aggregate | undefined;
}

interface SeriesState {
  lastNs: bigint;
  levels: LevelState[];
}

const hexNs = (ns: bigint): string => ns.toString(16).padStart(16, '0');
const hexMs = (ms: number): string => ms.toString(16).padStart(12, '0');
const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);
const rawPrefix = (series: string): string => `r/${series}/`;
const levelPrefix = (level: number, series: string): string => `a${level}/${series}/`;
const levelKey = (level: number, series: string, bucketMs: number): string =>
  levelPrefix(level, series) + hexMs(bucketMs);

export class InvalidSeriesError extends Error {
  override readonly name = 'InvalidSeriesError';
}

/** Ids that passed the check: a write checks every sample, and a regular expression per sample is dear. */
const validSeriesIds = new Set<string>();

/** Why a series id cannot be stored, or undefined when it can. */
export function seriesIdProblem(seriesId: string): string | undefined {
  if (validSeriesIds.has(seriesId)) return undefined;
  if (!SERIES_ID.test(seriesId)) return `Series id "${seriesId}" must be 1–200 letters, digits, '.', ':', '_' or '-'`;
  validSeriesIds.add(seriesId);
  return undefined;
}

export function checkSeriesId(seriesId: string): void {
  const problem = seriesIdProblem(seriesId);
  if (problem !== undefined) throw new InvalidSeriesError(problem);
}

export async function openEmbeddedSeriesStore(options: EmbeddedSeriesStoreOptions): Promise<EmbeddedSeriesStore> {
  const store = new EmbeddedSeriesStore(options);
  await store.loadIndex();
  return store;
}

export class EmbeddedSeriesStore {
  private readonly storage: WalStorage;
  private readonly retentionMs: number;
  private readonly aggregateRetentionMs: number;
  private readonly now: () => number;
  private readonly states = new Map<string, SeriesState>();
  private readonly known = new Set<string>();
  private readonly scratch = Buffer.allocUnsafe(RAW_BYTES);
  private retentionTimer: NodeJS.Timeout | undefined;
  private retentionRun: Promise<void> | undefined;
  /** One write at a time: aggregates are read-modify-write. */
  private chain: Promise<unknown> = Promise.resolve();

  /** @internal use openEmbeddedSeriesStore */
  constructor(options: EmbeddedSeriesStoreOptions) {
    this.storage = options.storage;
    this.retentionMs = (options.retentionDays ?? 30) * 24 * DURATIONS.HOUR;
    this.aggregateRetentionMs = (options.aggregateRetentionDays ?? 730) * 24 * DURATIONS.HOUR;
    this.now = options.now ?? Date.now;
    const interval = options.retentionIntervalMs ?? DURATIONS.HOUR;
    if (interval > 0) {
      this.retentionTimer = setInterval(() => void this.applyRetention().catch(reportRetentionError), interval);
      this.retentionTimer.unref();
    }
  }

  get location(): string {
    return this.storage.location;
  }

  /** @internal */
  async loadIndex(): Promise<void> {
    const cursor = this.storage.cursor({ gte: 's/', lt: 's0' });
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (const key of chunk.keys) this.known.add(key.slice(2));
      }
    } finally {
      await cursor.close();
    }
  }

  /** The series that hold data (or held it before retention). */
  seriesIds(): string[] {
    return [...this.known];
  }

  /** Newest sample time of a series written in this run, ms; undefined when unknown. */
  newestTimeMs(seriesId: string): number | undefined {
    const state = this.states.get(seriesId);
    return state ? nsToMs(state.lastNs) : undefined;
  }

  /** Stores samples (any order, any series); resolves once they and their aggregates are written. */
  write(samples: readonly SeriesSample[]): Promise<void> {
    for (const sample of samples) {
      const problem = seriesIdProblem(sample.seriesId);
      if (problem !== undefined) return Promise.reject(new InvalidSeriesError(problem));
    }
    const result = this.chain.then(() => this.writeNow(samples));
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async writeNow(samples: readonly SeriesSample[]): Promise<void> {
    if (samples.length === 0) return;
    const batch = this.storage.batch();
    const aggregates = new Map<string, Aggregate>();
    const dirty = new Set<string>();
    /** series → hours (ms) that need their aggregates recomputed from raw samples */
    const recompute = new Map<string, Set<number>>();
    const raw = this.scratch;
    for (const sample of samples) {
      const { seriesId, timeNs, value } = sample;
      raw.writeDoubleLE(value, 0);
      raw.writeDoubleLE(sample.rawValue, 8);
      raw.writeUInt8(sample.quality & 0xff, 16);
      raw.writeUInt32LE(sample.errorCode >>> 0, 17);
      batch.put(rawPrefix(seriesId) + hexNs(timeNs), raw);
      if (!this.known.has(seriesId)) {
        this.known.add(seriesId);
        batch.put(`s/${seriesId}`, '');
      }
      const state = this.states.get(seriesId);
      const timeMs = nsToMs(timeNs);
      if (state && timeNs > state.lastNs && !recompute.has(seriesId)) {
        advance(state, seriesId, timeMs, value, aggregates);
        state.lastNs = timeNs;
        dirty.add(seriesId);
      } else {
        // First sample of this run, a rewrite or an older sample: recompute from what is stored.
        let hours = recompute.get(seriesId);
        if (!hours) recompute.set(seriesId, (hours = new Set()));
        hours.add(Math.floor(timeMs / DURATIONS.HOUR) * DURATIONS.HOUR);
      }
    }
    for (const seriesId of dirty) {
      if (!recompute.has(seriesId)) currentValues(this.states.get(seriesId)!, seriesId, aggregates);
    }
    for (const [key, aggregate] of aggregates) batch.put(key, encodeAggregate(aggregate));
    await batch.write(false);
    if (recompute.size === 0) return;
    const rebuilt = this.storage.batch();
    for (const [seriesId, hours] of recompute) {
      const newestNs = await this.newestStoredNs(seriesId);
      if (newestNs === undefined) continue;
      const newestHour = Math.floor(nsToMs(newestNs) / DURATIONS.HOUR) * DURATIONS.HOUR;
      hours.add(newestHour);
      for (const hour of hours) {
        const { state, aggregates: hourAggregates } = await this.recomputeHour(seriesId, hour);
        for (const [key, aggregate] of hourAggregates) rebuilt.put(key, encodeAggregate(aggregate));
        if (hour === newestHour && state) this.states.set(seriesId, state);
      }
    }
    await rebuilt.write(false);
  }

  private async newestStoredNs(seriesId: string): Promise<bigint | undefined> {
    const prefix = rawPrefix(seriesId);
    const cursor = this.storage.cursor({ gte: prefix, lt: prefix + 'g', reverse: true, limit: 1 });
    try {
      const key = (await cursor.next())?.keys[0];
      return key === undefined ? undefined : BigInt(`0x${key.slice(prefix.length)}`);
    } finally {
      await cursor.close();
    }
  }

  /** Every aggregate of one hour of a series, from its raw samples, and the state at its end. */
  private async recomputeHour(
    seriesId: string,
    hourMs: number,
  ): Promise<{ state: SeriesState | undefined; aggregates: Map<string, Aggregate> }> {
    const aggregates = new Map<string, Aggregate>();
    let state: SeriesState | undefined;
    const fromNs = BigInt(hourMs) * 1_000_000n;
    for await (const samples of this.readRaw(seriesId, fromNs, fromNs + BigInt(DURATIONS.HOUR) * 1_000_000n)) {
      for (const sample of samples) {
        const timeMs = nsToMs(sample.timeNs);
        if (!state) state = newState(timeMs, sample.value);
        else advance(state, seriesId, timeMs, sample.value, aggregates);
        state.lastNs = sample.timeNs;
      }
    }
    if (state) currentValues(state, seriesId, aggregates);
    return { state, aggregates };
  }

  /** Raw samples of a series in [fromNs, toNs), oldest first, a chunk (≤ 1,000) at a time. */
  async *readRaw(seriesId: string, fromNs: bigint, toNs: bigint): AsyncGenerator<SeriesSample[]> {
    checkSeriesId(seriesId);
    const prefix = rawPrefix(seriesId);
    const cursor = this.storage.cursor({ gte: prefix + hexNs(fromNs), lt: prefix + hexNs(toNs) });
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        const samples = new Array<SeriesSample>(chunk.keys.length);
        for (let i = 0; i < chunk.keys.length; i++) {
          const bytes = chunk.values[i]!;
          samples[i] = {
            seriesId,
            timeNs: BigInt(`0x${chunk.keys[i]!.slice(prefix.length)}`),
            value: bytes.readDoubleLE(0),
            rawValue: bytes.readDoubleLE(8),
            quality: bytes.readUInt8(16),
            errorCode: bytes.readUInt32LE(17),
          };
        }
        yield samples;
      }
    } finally {
      await cursor.close();
    }
  }

  /**
   * A series cut into buckets of `bucketMs` over [fromMs, toMs): read from the coarsest stored
   * aggregate that divides the bucket, or from the raw samples for buckets under 10 s.
   */
  async buckets(seriesId: string, fromMs: number, toMs: number, bucketMs: number): Promise<TrendSeries> {
    checkSeriesId(seriesId);
    const builder = new TrendSeriesBuilder(seriesId, bucketMs);
    const start = Math.floor(fromMs / bucketMs) * bucketMs;
    let level = -1;
    for (let i = TOP; i >= 0; i--) {
      if (bucketMs % AGGREGATE_LEVELS_MS[i]! === 0) {
        level = i;
        break;
      }
    }
    if (level < 0) {
      let bucket = Number.NaN;
      let current: Aggregate | undefined;
      for await (const samples of this.readRaw(seriesId, BigInt(start) * 1_000_000n, BigInt(toMs) * 1_000_000n)) {
        for (const sample of samples) {
          const b = Math.floor(nsToMs(sample.timeNs) / bucketMs) * bucketMs;
          if (b !== bucket) {
            if (current) builder.add(bucket, current);
            bucket = b;
            current = aggregateOf(sample.value);
          } else addSample(current!, sample.value);
        }
      }
      if (current) builder.add(bucket, current);
      return builder.build();
    }
    const prefix = levelPrefix(level, seriesId);
    const cursor = this.storage.cursor({ gte: prefix + hexMs(start), lt: prefix + hexMs(toMs) });
    // keys come in time order: the aggregates of one bucket are folded here, the builder gets each bucket once
    let bucket = Number.NaN;
    let current: Aggregate | undefined;
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (let i = 0; i < chunk.keys.length; i++) {
          const b = Math.floor(parseInt(chunk.keys[i]!.slice(prefix.length), 16) / bucketMs) * bucketMs;
          const aggregate = decodeAggregate(chunk.values[i]!);
          if (b !== bucket) {
            if (current) builder.add(bucket, current);
            bucket = b;
            current = aggregate;
          } else addLater(current!, aggregate);
        }
      }
    } finally {
      await cursor.close();
    }
    if (current) builder.add(bucket, current);
    return builder.build();
  }

  async writeAlertEvents(events: readonly AlertEventPoint[]): Promise<void> {
    if (events.length === 0) return;
    const batch = this.storage.batch();
    for (const event of events) {
      batch.put(`e/${hexNs(event.timeNs)}/${event.ruleId}`, JSON.stringify({ ...event, timeNs: String(event.timeNs) }));
    }
    await batch.write(false);
  }

  /** Alert events in [fromNs, toNs), oldest first, at most `limit`. */
  async alertEvents(fromNs: bigint, toNs: bigint, limit = 10_000): Promise<AlertEventPoint[]> {
    const cursor = this.storage.cursor({ gte: `e/${hexNs(fromNs)}`, lt: `e/${hexNs(toNs)}`, limit });
    const events: AlertEventPoint[] = [];
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (const value of chunk.values) {
          const stored = JSON.parse(value.toString()) as AlertEventPoint & { timeNs: string };
          events.push({ ...stored, timeNs: BigInt(stored.timeNs) });
        }
      }
    } finally {
      await cursor.close();
    }
    return events;
  }

  /** Deletes raw samples and aggregates past their retention. */
  applyRetention(): Promise<void> {
    this.retentionRun ??= (async () => {
      try {
        const now = this.now();
        const rawCutoff = hexNs(BigInt(Math.max(0, now - this.retentionMs)) * 1_000_000n);
        const aggregateCutoff = hexMs(Math.max(0, now - this.aggregateRetentionMs));
        for (const seriesId of this.known) {
          await this.storage.clearRange({ gte: rawPrefix(seriesId), lt: rawPrefix(seriesId) + rawCutoff });
          for (let level = 0; level <= TOP; level++) {
            const prefix = levelPrefix(level, seriesId);
            await this.storage.clearRange({ gte: prefix, lt: prefix + aggregateCutoff });
          }
        }
        await this.storage.clearRange({ gte: 'e/', lt: `e/${rawCutoff}` });
      } finally {
        this.retentionRun = undefined;
      }
    })();
    return this.retentionRun;
  }

  async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.chain;
    await this.retentionRun?.catch(() => undefined);
    await this.storage.close();
  }
}

function reportRetentionError(error: Error): void {
  console.error(`[historian] embedded store retention failed: ${error.message}`);
}

function newState(timeMs: number, value: number): SeriesState {
  return {
    lastNs: 0n,
    levels: AGGREGATE_LEVELS_MS.map((width, level) => ({
      bucket: Math.floor(timeMs / width) * width,
      agg: level === 0 ? aggregateOf(value) : undefined,
    })),
  };
}

/**
 * Adds a sample newer than every earlier one. A finished bucket is folded into its parent (and
 * its final value recorded); a parent that finishes as well passes its value further up.
 */
function advance(
  state: SeriesState,
  seriesId: string,
  timeMs: number,
  value: number,
  out: Map<string, Aggregate>,
): void {
  const { levels } = state;
  const first = levels[0]!;
  const bucket0 = Math.floor(timeMs / AGGREGATE_LEVELS_MS[0]) * AGGREGATE_LEVELS_MS[0];
  if (bucket0 === first.bucket) {
    addSample(first.agg!, value);
    return;
  }
  let child = first.agg;
  if (child) out.set(levelKey(0, seriesId, first.bucket), child);
  levels[0] = { bucket: bucket0, agg: aggregateOf(value) };
  for (let level = 1; level <= TOP; level++) {
    const width = AGGREGATE_LEVELS_MS[level]!;
    const bucket = Math.floor(timeMs / width) * width;
    const current = levels[level]!;
    const folded = combine(current.agg, child);
    if (bucket === current.bucket) {
      current.agg = folded;
      return;
    }
    if (folded) out.set(levelKey(level, seriesId, current.bucket), folded);
    levels[level] = { bucket, agg: undefined };
    child = folded;
  }
}

/** The values of the open buckets of every level. */
function currentValues(state: SeriesState, seriesId: string, out: Map<string, Aggregate>): void {
  let value: Aggregate | undefined;
  state.levels.forEach((level, i) => {
    value = i === 0 ? level.agg : combine(level.agg, value);
    if (value) out.set(levelKey(i, seriesId, level.bucket), value);
  });
}
