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
// The open bucket of each level (the one the newest sample is in) lives in memory and is what a
// read of that bucket answers; the store gets a bucket when it closes, the open 1 min and 1 h
// buckets each time a 10 s bucket closes, and every open bucket at close(). Writing the three
// open buckets with every sample cost three puts and their keys per sample: at 10,000 tags at
// 1 Hz, most of the gateway's main thread.
//
// Writes are idempotent: a sample rewritten with the same series and time overwrites itself, and
// aggregates touched by a rewrite (or by a sample older than the newest one, or by the first
// sample in a run of a series that holds data, whose open buckets a crash may have left behind
// in the hour of its newest stored sample) are recomputed from the raw samples of their hour, so
// a replay after a crash leaves no trace.
import type { WalStorage, WalStorageBatch } from '../wal/wal-storage.ts';
import type { AlertEventPoint } from './historian-points.ts';
import {
  addLater,
  addSample,
  aggregateOf,
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
const AGGREGATE_BYTES = 48;
const NS_DIGITS = 16;
const MS_DIGITS = 12;
const SERIES_ID = /^[\w.:-]{1,200}$/;

interface OpenBucket {
  /** start, ms */
  bucket: number;
  /** every sample of the bucket so far */
  agg: Aggregate;
}

interface SeriesState {
  lastNs: bigint;
  /** per level, the bucket the newest sample is in */
  levels: OpenBucket[];
}

/** A series' keys, built in place: a write formats a time into them instead of a new string. */
interface SeriesEntry {
  /** `r/{series}/` and room for the time */
  rawKey: Buffer;
  /** per level, `a{level}/{series}/` and room for the bucket start */
  levelKeys: Buffer[];
  /** undefined until the series' first sample in this run has been stored */
  state: SeriesState | undefined;
  /** in the series index (`s/…`) */
  indexed: boolean;
}

const hexNs = (ns: bigint): string => ns.toString(16).padStart(NS_DIGITS, '0');
const hexMs = (ms: number): string => ms.toString(16).padStart(MS_DIGITS, '0');
const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);
/** start of the hour a time in ns falls in, ms */
const hourOf = (ns: bigint): number => Math.floor(nsToMs(ns) / DURATIONS.HOUR) * DURATIONS.HOUR;
const rawPrefix = (series: string): string => `r/${series}/`;
const levelPrefix = (level: number, series: string): string => `a${level}/${series}/`;

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const TWO_32 = 2 ** 32;

/** Writes `digits` (≤ 8) lower-case hex digits of `value` (< 2^32) ending before `end`. */
function writeHex(into: Buffer, end: number, value: number, digits: number): void {
  for (let i = end - 1; i >= end - digits; i--) {
    into[i] = HEX_DIGITS[value & 15]!;
    value >>>= 4;
  }
}

/** The key's last 16 bytes: the time in ns as hexNs() formats it. */
function setKeyNs(key: Buffer, ns: bigint): Buffer {
  writeHex(key, key.length, Number(BigInt.asUintN(32, ns)), 8);
  writeHex(key, key.length - 8, Number(ns >> 32n), 8);
  return key;
}

/** The key's last 12 bytes: a time in ms (< 2^48) as hexMs() formats it. */
function setKeyMs(key: Buffer, ms: number): Buffer {
  writeHex(key, key.length, ms >>> 0, 8);
  writeHex(key, key.length - 8, Math.floor(ms / TWO_32), 4);
  return key;
}

/** A key of `prefix` and room for `digits` hex digits (written before every use). */
function keyWithRoom(prefix: string, digits: number): Buffer {
  // from Node's shared pool: 10,000 series have 40,000 of these
  const key = Buffer.allocUnsafe(prefix.length + digits);
  key.write(prefix, 'latin1');
  return key;
}

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
  private readonly series = new Map<string, SeriesEntry>();
  private readonly known = new Set<string>();
  private readonly rawValue = Buffer.allocUnsafe(RAW_BYTES);
  private readonly aggregateValue = Buffer.allocUnsafe(AGGREGATE_BYTES);
  private retentionTimer: NodeJS.Timeout | undefined;
  private retentionRun: Promise<void> | undefined;
  /**
   * One write at a time (aggregates are read-modify-write); a read of aggregates takes its turn
   * too, so that the open buckets it answers from memory are those of the writes on disk.
   */
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
    const state = this.series.get(seriesId)?.state;
    return state ? nsToMs(state.lastNs) : undefined;
  }

  /** Stores samples (any order, any series); resolves once they and their aggregates are written. */
  write(samples: readonly SeriesSample[]): Promise<void> {
    for (const sample of samples) {
      const problem = seriesIdProblem(sample.seriesId);
      if (problem !== undefined) return Promise.reject(new InvalidSeriesError(problem));
    }
    return this.inTurn(() => this.writeNow(samples));
  }

  private inTurn<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.chain.then(work);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private entry(seriesId: string): SeriesEntry {
    let entry = this.series.get(seriesId);
    if (!entry) {
      entry = {
        rawKey: keyWithRoom(rawPrefix(seriesId), NS_DIGITS),
        levelKeys: AGGREGATE_LEVELS_MS.map((_, level) => keyWithRoom(levelPrefix(level, seriesId), MS_DIGITS)),
        state: undefined,
        indexed: this.known.has(seriesId),
      };
      this.series.set(seriesId, entry);
    }
    return entry;
  }

  private putAggregate(batch: WalStorageBatch, entry: SeriesEntry, level: number, open: OpenBucket): void {
    batch.put(setKeyMs(entry.levelKeys[level]!, open.bucket), encodeAggregate(open.agg, this.aggregateValue));
  }

  /** Puts the open bucket of every level of `state` from `fromLevel` up. */
  private putOpenBuckets(batch: WalStorageBatch, entry: SeriesEntry, state: SeriesState, fromLevel = 0): void {
    for (let level = fromLevel; level <= TOP; level++) this.putAggregate(batch, entry, level, state.levels[level]!);
  }

  /**
   * Adds a sample newer than every earlier one to the open bucket of each level. A bucket it
   * does not fall in is finished: put into the batch, and reused for the next. True when the
   * 10 s bucket finished.
   */
  private advance(
    batch: WalStorageBatch,
    entry: SeriesEntry,
    state: SeriesState,
    timeMs: number,
    value: number,
  ): boolean {
    const { levels } = state;
    if (Math.floor(timeMs / AGGREGATE_LEVELS_MS[0]) * AGGREGATE_LEVELS_MS[0] === levels[0]!.bucket) {
      // the same 10 s bucket, so the same bucket of every level above
      for (const open of levels) addSample(open.agg, value);
      return false;
    }
    for (let level = 0; level <= TOP; level++) {
      const width = AGGREGATE_LEVELS_MS[level]!;
      const bucket = Math.floor(timeMs / width) * width;
      const open = levels[level]!;
      if (bucket === open.bucket) {
        addSample(open.agg, value);
        continue;
      }
      this.putAggregate(batch, entry, level, open);
      open.bucket = bucket;
      const agg = open.agg;
      agg.min = agg.max = agg.first = agg.last = agg.sum = value;
      agg.count = 1;
    }
    return true;
  }

  private async writeNow(samples: readonly SeriesSample[]): Promise<void> {
    if (samples.length === 0) return;
    const batch = this.storage.batch();
    /** series whose 10 s bucket closed: their open 1 min and 1 h buckets are stored as well */
    const closedTens = new Set<SeriesEntry>();
    /** series → hours (ms) that need their aggregates recomputed from raw samples */
    const recompute = new Map<string, Set<number>>();
    /** series this write adds to the index */
    const added: SeriesEntry[] = [];
    /** series with stored data whose first sample of this run this write holds */
    const resumed: string[] = [];
    const raw = this.rawValue;
    for (const sample of samples) {
      const { seriesId, timeNs, value } = sample;
      const entry = this.entry(seriesId);
      raw.writeDoubleLE(value, 0);
      raw.writeDoubleLE(sample.rawValue, 8);
      raw[16] = sample.quality & 0xff;
      raw.writeUInt32LE(sample.errorCode >>> 0, 17);
      batch.put(setKeyNs(entry.rawKey, timeNs), raw);
      if (!entry.indexed) {
        entry.indexed = true;
        added.push(entry);
        this.known.add(seriesId);
        batch.put(`s/${seriesId}`, '');
        // a series the index does not hold has nothing stored: nothing to recompute
        entry.state = newState(nsToMs(timeNs), value);
        entry.state.lastNs = timeNs;
        continue;
      }
      const state = entry.state;
      if (state && timeNs > state.lastNs && !recompute.has(seriesId)) {
        if (this.advance(batch, entry, state, nsToMs(timeNs), value)) closedTens.add(entry);
        state.lastNs = timeNs;
      } else {
        // First sample of this run, a rewrite or an older sample: recompute from what is stored.
        let hours = recompute.get(seriesId);
        if (!hours) recompute.set(seriesId, (hours = new Set()));
        if (!state && hours.size === 0) resumed.push(seriesId);
        hours.add(hourOf(timeNs));
      }
    }
    for (const entry of closedTens) {
      this.putOpenBuckets(batch, entry, entry.state!, 1);
    }
    // The hour a crash may have left open buckets in is that of the newest sample stored before
    // this run, which need not be the hour of this run's first sample.
    for (const seriesId of resumed) {
      const newestNs = await this.newestStoredNs(seriesId);
      if (newestNs !== undefined) recompute.get(seriesId)!.add(hourOf(newestNs));
    }
    try {
      await batch.write(false);
    } catch (error) {
      // Not stored: when the historian writes these samples again, these series are new again.
      // (The others recompute what a failed write missed: their samples are no longer newer.)
      for (const entry of added) {
        entry.indexed = false;
        entry.state = undefined;
      }
      throw error;
    }
    if (recompute.size === 0) return;
    const rebuilt = this.storage.batch();
    for (const [seriesId, hours] of recompute) {
      const newestNs = await this.newestStoredNs(seriesId);
      if (newestNs === undefined) continue;
      const newestHour = hourOf(newestNs);
      hours.add(newestHour);
      const entry = this.entry(seriesId);
      for (const hour of hours) {
        const state = await this.recomputeHour(seriesId, hour, rebuilt);
        if (hour === newestHour && state) entry.state = state;
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

  /** Puts every aggregate of one hour of a series, from its raw samples; answers the state at its end. */
  private async recomputeHour(
    seriesId: string,
    hourMs: number,
    batch: WalStorageBatch,
  ): Promise<SeriesState | undefined> {
    const entry = this.entry(seriesId);
    let state: SeriesState | undefined;
    const fromNs = BigInt(hourMs) * 1_000_000n;
    for await (const samples of this.readRaw(seriesId, fromNs, fromNs + BigInt(DURATIONS.HOUR) * 1_000_000n)) {
      for (const sample of samples) {
        const timeMs = nsToMs(sample.timeNs);
        if (!state) state = newState(timeMs, sample.value);
        else this.advance(batch, entry, state, timeMs, sample.value);
        state.lastNs = sample.timeNs;
      }
    }
    if (state) this.putOpenBuckets(batch, entry, state);
    return state;
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
    // In turn with the writes: the open bucket from memory and the cursor's view of the store
    // (fixed when it is made) are of the same writes.
    const { open, cursor } = await this.inTurn(() => {
      const state = this.series.get(seriesId)?.state?.levels[level];
      return {
        open: state && { bucket: state.bucket, agg: { ...state.agg } },
        cursor: this.storage.cursor({ gte: prefix + hexMs(start), lt: prefix + hexMs(toMs) }),
      };
    });
    // keys come in time order: the aggregates of one bucket are folded here, the builder gets each bucket once
    let bucket = Number.NaN;
    let current: Aggregate | undefined;
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (let i = 0; i < chunk.keys.length; i++) {
          const stored = parseInt(chunk.keys[i]!.slice(prefix.length), 16);
          // what the store holds of the open bucket is older than what memory holds
          if (stored === open?.bucket) continue;
          const b = Math.floor(stored / bucketMs) * bucketMs;
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
    if (open && open.bucket >= start && open.bucket < toMs) {
      builder.add(Math.floor(open.bucket / bucketMs) * bucketMs, open.agg);
    }
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

  /** Stores every open bucket, then closes the storage. */
  async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.inTurn(async () => {
      const batch = this.storage.batch();
      for (const entry of this.series.values()) {
        if (entry.state) this.putOpenBuckets(batch, entry, entry.state);
      }
      await batch.write(false);
    }).catch((error: Error) =>
      console.error(`[historian] embedded store could not store its open buckets: ${error.message}`),
    );
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
    levels: AGGREGATE_LEVELS_MS.map((width) => ({
      bucket: Math.floor(timeMs / width) * width,
      agg: aggregateOf(value),
    })),
  };
}
