// The historian on InfluxDB 1.x: the seed's measurements in database gateway_timeseries with its
// retention policies and continuous queries; writes in gzip'd batches of at most 5,000 lines,
// trends read from the hourly/daily aggregates when the buckets are that coarse.
import { planSegments } from './aggregate-segments.ts';
import { DURATIONS } from './trend-buckets.ts';
import {
  type BucketAnswer,
  type BucketQuery,
  type HistorianBackend,
  type LabelledPoint,
  type RejectedWrite,
  RetryableWriteError,
  type WriteReport,
} from './historian-backend.ts';
import type { AlertEventPoint, DevicePoint, SystemMetricPoint } from './historian-points.ts';
import {
  InfluxBadRequestError,
  type InfluxStatementResult,
  InfluxV1Client,
  type InfluxV1Options,
  quoteIdentifier as q,
  quoteString,
} from './influx-v1-client.ts';
import { LineBatch, LineBatchBuilder, LineBufferPool } from './influx-line-batch.ts';
import { alertEventLine, appendDeviceData, deviceDataSeriesKey, systemMetricsLine } from './influx-line-protocol.ts';
import { backfillInfluxV1, CQ_GRACE_MS, prepareInfluxV1 } from './influx-v1-schema.ts';
import { rfc3339ToNs } from './influx-time.ts';
import type { TagLabels } from './tag-catalog.ts';
import { TrendSeriesBuilder } from './trend-series.ts';

export interface InfluxV1BackendOptions extends InfluxV1Options {
  /** lines per request (default 5,000) */
  batchLines?: number;
  /** requests in flight at once (default 4: influxd works on each in a goroutine of its own, so it
   * keeps both cores of a small machine busy while the next batch is built) */
  concurrency?: number;
  /** how long after late data arrived its hours are aggregated again (default 10 s; 0: never) */
  lateAggregationDelayMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

const RAW_PAGE = 10_000;

interface Source {
  /** FROM clause */
  from: string;
  min: string;
  max: string;
  mean: string;
  label: string;
}

export class InfluxV1Backend implements HistorianBackend {
  readonly kind = 'influxdb-v1' as const;
  readonly client: InfluxV1Client;
  private prepared: Promise<void> | undefined;
  /** per tag: its device_data series key and the space after it, encoded */
  private readonly prefixes = new WeakMap<TagLabels, Buffer>();
  private readonly batchLines: number;
  /** the requests' buffers, reused (a device_data line is ~250 bytes) */
  private readonly buffers: LineBufferPool;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly lateDelayMs: number;
  private late: LateRanges | undefined;
  private lateTimer: NodeJS.Timeout | undefined;
  private lateRun: Promise<void> | undefined;

  constructor(options: InfluxV1BackendOptions) {
    this.client = new InfluxV1Client(options);
    this.batchLines = Math.min(5000, Math.max(1, options.batchLines ?? 5000));
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.buffers = new LineBufferPool(this.batchLines * 320);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => console.warn(`[historian] ${message}`));
    this.lateDelayMs = options.lateAggregationDelayMs ?? 10_000;
  }

  get target(): string {
    return `${this.client.url} (database ${this.client.database})`;
  }

  prepare(): Promise<void> {
    this.prepared ??= prepareInfluxV1(this.client).catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  /** Recomputes the hourly and daily aggregates of a range (README: "Backfill"). */
  async backfill(fromMs: number, toMs: number): Promise<void> {
    await this.prepare();
    await backfillInfluxV1(this.client, fromMs, toMs);
  }

  async writeDevicePoints(points: readonly LabelledPoint[]): Promise<WriteReport> {
    const rejected: RejectedWrite[] = [];
    const late = new LateSamples(this.now());
    const refused: RejectedWrite[] = [];
    const sent = await this.send(this.deviceDataBatches(points, rejected, late), 'raw_data', refused);
    this.noteLate(late);
    return { written: sent - countLines(refused), rejected: [...rejected, ...refused] };
  }

  /** device_data lines a request at a time: built while the requests before them are in flight. */
  private *deviceDataBatches(
    points: readonly LabelledPoint[],
    rejected: RejectedWrite[],
    late: LateSamples,
  ): Generator<LineBatch> {
    const builder = new LineBatchBuilder(this.buffers);
    try {
      for (const point of points) {
        let prefix = this.prefixes.get(point.labels);
        if (prefix === undefined) {
          prefix = Buffer.from(`${deviceDataSeriesKey(point.labels)} `);
          this.prefixes.set(point.labels, prefix);
        }
        if (!appendDeviceData(builder, prefix, point)) {
          rejected.push({ what: describePoint(point), reason: `the value ${point.value} is not a finite number` });
          continue;
        }
        late.add(point.timeNs);
        if (builder.count === this.batchLines) yield builder.take();
      }
      if (builder.count > 0) yield builder.take();
    } finally {
      builder.discard();
    }
  }

  async writeSystemMetrics(points: readonly SystemMetricPoint[]): Promise<WriteReport> {
    const lines = points.map(systemMetricsLine).filter((line): line is string => line !== undefined);
    const rejected: RejectedWrite[] = [];
    const sent = await this.send(this.batchesOf(lines), 'raw_data', rejected);
    return { written: sent - countLines(rejected), rejected };
  }

  async writeAlertEvents(events: readonly AlertEventPoint[]): Promise<WriteReport> {
    const rejected: RejectedWrite[] = [];
    const sent = await this.send(this.batchesOf(events.map(alertEventLine)), 'raw_data', rejected);
    return { written: sent - countLines(rejected), rejected };
  }

  private *batchesOf(lines: string[]): Generator<LineBatch> {
    for (let i = 0; i < lines.length; i += this.batchLines) yield LineBatch.of(lines.slice(i, i + this.batchLines));
  }

  /**
   * Sends batches, `concurrency` requests at a time, taking each batch from `batches` only when a
   * request is free (so building one overlaps sending others); resolves with the number of lines
   * once every batch is stored or refused for good. After a failure no further batch is started.
   */
  private async send(
    batches: Iterator<LineBatch>,
    retentionPolicy: string,
    rejected: RejectedWrite[],
  ): Promise<number> {
    let ahead: IteratorResult<LineBatch> | undefined = batches.next();
    if (ahead.done) return 0;
    await this.prepare();
    let lines = 0;
    let failed = false;
    const take = (): IteratorResult<LineBatch> => {
      const next = ahead ?? batches.next();
      ahead = undefined;
      return next;
    };
    const worker = async (): Promise<void> => {
      for (let next = take(); !next.done && !failed; next = take()) {
        lines += next.value.count;
        try {
          await this.sendBatch(next.value, retentionPolicy, rejected);
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          next.value.release();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: this.concurrency }, worker));
    } finally {
      batches.return?.(); // after a failure: the builder gives back its buffer
    }
    return lines;
  }

  /**
   * A 400 is not retried: a "partial write" means the server stored every other line, so the
   * refusal is logged and the batch counts as done; a batch refused as a whole is halved until
   * the bad lines are found, so one bad line never holds back the others.
   */
  private async sendBatch(lines: LineBatch, retentionPolicy: string, rejected: RejectedWrite[]): Promise<void> {
    try {
      await this.client.write(lines, retentionPolicy);
    } catch (error) {
      if (error instanceof InfluxBadRequestError) {
        if (error.partial || lines.count === 1) {
          const dropped = Number(/dropped=(\d+)/.exec(error.message)?.[1] ?? 1);
          const what = lines.count === 1 ? lines.line(0).slice(0, 500) : `${dropped} of ${lines.count} lines`;
          rejected.push({ what, reason: error.message });
          this.log(`InfluxDB refused ${what}: ${error.message}`);
          return;
        }
        const half = lines.count >> 1;
        await this.sendBatch(lines.slice(0, half), retentionPolicy, rejected);
        await this.sendBatch(lines.slice(half, lines.count), retentionPolicy, rejected);
        return;
      }
      // Database dropped behind our back: create it again before the retry.
      if (error instanceof RetryableWriteError && error.status === 404) this.prepared = undefined;
      throw error;
    }
  }

  /** Late data missed its interval's continuous query: aggregate those intervals again shortly. */
  private noteLate(samples: LateSamples): void {
    const ranges = samples.ranges;
    if (this.lateDelayMs <= 0 || ranges.size === 0) return;
    this.late = mergeRanges(this.late, ranges);
    clearTimeout(this.lateTimer);
    this.lateTimer = setTimeout(() => void this.aggregateLate(), this.lateDelayMs);
    this.lateTimer.unref();
  }

  /** Runs the pending late-data aggregation now (also on close); resolves when done. */
  async aggregateLate(): Promise<void> {
    await this.lateRun;
    const late = this.late;
    if (!late) return;
    this.late = undefined;
    clearTimeout(this.lateTimer);
    this.lateRun = (async () => {
      for (const [level, range] of late) {
        // the daily aggregates are read from the hourly ones: they follow them
        const levels = new Set<'m' | 'h' | 'd'>(level === 'h' ? ['h', 'd'] : [level]);
        await backfillInfluxV1(this.client, range.from, range.to + 1, levels);
      }
    })()
      .catch((error: Error) => {
        this.late = mergeRanges(this.late, late); // kept for the next attempt
        this.log(`aggregating late data again failed (${error.message}); retried with the next late data`);
      })
      .finally(() => (this.lateRun = undefined));
    await this.lateRun;
  }

  async buckets(query: BucketQuery): Promise<BucketAnswer> {
    const { tags, fromMs, toMs, bucketMs } = query;
    const db = q(this.client.database);
    const now = this.now();
    // An hour's aggregate exists once its continuous query ran (at the hour's end); a day's
    // once the daily one ran after the last hour's: a minute (an hour) of margin.
    const hourlyThrough = Math.floor((now - DURATIONS.MINUTE) / DURATIONS.HOUR) * DURATIONS.HOUR;
    const dailyThrough = Math.floor((now - DURATIONS.HOUR) / DURATIONS.DAY) * DURATIONS.DAY;
    const raw: Source = {
      from: `${db}."raw_data"."device_data"`,
      min: 'value',
      max: 'value',
      mean: 'value',
      label: 'raw',
    };
    const hourly: Source = {
      from: `${db}."hourly_data"."device_data_hourly"`,
      min: 'min_value',
      max: 'max_value',
      mean: 'mean_value',
      label: 'hourly',
    };
    const daily: Source = { ...hourly, from: `${db}."daily_data"."device_data_daily"`, label: 'daily' };
    const minute: Source = { ...hourly, from: `${db}."raw_data"."device_data_1m"`, label: 'minute' };
    // the minute query resamples the last 5 minutes each minute
    const minuteThrough = Math.floor((now - 5 * DURATIONS.MINUTE) / DURATIONS.MINUTE) * DURATIONS.MINUTE;
    const segments = planSegments(
      fromMs,
      toMs,
      bucketMs,
      [
        { source: daily, intervalMs: DURATIONS.DAY, throughMs: dailyThrough },
        { source: hourly, intervalMs: DURATIONS.HOUR, throughMs: hourlyThrough },
        { source: minute, intervalMs: DURATIONS.MINUTE, throughMs: minuteThrough },
      ],
      raw,
    );
    const where = tags
      .map((tag) => `("device_id" = ${quoteString(tag.deviceId)} AND "tag_name" = ${quoteString(tag.tagName)})`)
      .join(' OR ');
    const statements = segments.map(
      ({ source, from, to }) =>
        `SELECT min(${q(source.min)}) AS "min", max(${q(source.max)}) AS "max", mean(${q(source.mean)}) AS "mean" ` +
        `FROM ${source.from} WHERE (${where}) AND time >= ${from}ms AND time < ${to}ms ` +
        `GROUP BY time(${bucketMs}ms), "device_id", "tag_name" fill(none)`,
    );
    const builders = new Map(tags.map((tag) => [seriesOf(tag), new TrendSeriesBuilder(tag.tagId, bucketMs)]));
    if (tags.length > 0 && statements.length > 0) {
      const results = await this.client.query(statements.join('; '), { epoch: 'ms' });
      for (const result of results) addBuckets(result, builders);
    }
    return {
      series: tags.map((tag) => builders.get(seriesOf(tag))!.build()),
      source: segments.map((segment) => segment.source.label).join(' + '),
    };
  }

  async *readRaw(tag: TagLabels, fromMs: number, toMs: number): AsyncGenerator<DevicePoint[]> {
    const db = q(this.client.database);
    let after = `time >= ${fromMs}ms`;
    for (;;) {
      const [result] = await this.client.query(
        `SELECT "value", "raw_value", "quality", "error_code" FROM ${db}."raw_data"."device_data" ` +
          `WHERE "device_id" = ${quoteString(tag.deviceId)} AND "tag_name" = ${quoteString(tag.tagName)} ` +
          `AND ${after} AND time < ${toMs}ms ORDER BY time ASC LIMIT ${RAW_PAGE}`,
      );
      const rows = result?.series?.[0]?.values ?? [];
      if (rows.length === 0) return;
      const points = rows.map((row): DevicePoint => ({
        tagId: tag.tagId,
        deviceId: tag.deviceId,
        timeNs: rfc3339ToNs(String(row[0])),
        value: Number(row[1]),
        rawValue: Number(row[2]),
        quality: Number(row[3]),
        errorCode: Number(row[4]),
      }));
      yield points;
      if (rows.length < RAW_PAGE) return;
      after = `time > ${points[points.length - 1]!.timeNs}`;
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.lateTimer);
    await this.lateRun;
  }
}

type LateRanges = Map<'m' | 'h', { from: number; to: number }>;

/** Which aggregation intervals a batch's samples arrived too late for, and their time ranges. */
class LateSamples {
  /** per level: the oldest and newest late sample (ns); compared as BigInts, no division per sample */
  private readonly found = new Map<'m' | 'h', { from: bigint; to: bigint }>();
  private readonly minuteLimitNs: bigint;
  private readonly hourLimitNs: bigint;

  constructor(now: number) {
    this.minuteLimitNs = BigInt(Math.floor(now / DURATIONS.MINUTE) * DURATIONS.MINUTE - CQ_GRACE_MS.m) * 1_000_000n;
    this.hourLimitNs = BigInt(Math.floor(now / DURATIONS.HOUR) * DURATIONS.HOUR - CQ_GRACE_MS.h) * 1_000_000n;
  }

  add(ns: bigint): void {
    if (ns < this.minuteLimitNs) this.extend('m', ns);
    if (ns < this.hourLimitNs) this.extend('h', ns);
  }

  /** The late ranges in ms. */
  get ranges(): LateRanges {
    const ranges: LateRanges = new Map();
    for (const [level, { from, to }] of this.found) {
      ranges.set(level, { from: Number(from / 1_000_000n), to: Number(to / 1_000_000n) });
    }
    return ranges;
  }

  private extend(level: 'm' | 'h', ns: bigint): void {
    const range = this.found.get(level);
    if (!range) this.found.set(level, { from: ns, to: ns });
    else if (ns < range.from) range.from = ns;
    else if (ns > range.to) range.to = ns;
  }
}

function mergeRanges(into: LateRanges | undefined, more: LateRanges): LateRanges {
  const merged: LateRanges = new Map(into);
  for (const [level, range] of more) {
    const existing = merged.get(level);
    merged.set(
      level,
      existing ? { from: Math.min(existing.from, range.from), to: Math.max(existing.to, range.to) } : { ...range },
    );
  }
  return merged;
}

function seriesOf(tag: Pick<TagLabels, 'deviceId' | 'tagName'>): string {
  return `${tag.deviceId}\u0000${tag.tagName}`;
}

function addBuckets(result: InfluxStatementResult, builders: Map<string, TrendSeriesBuilder>): void {
  for (const series of result.series ?? []) {
    const builder = builders.get(
      seriesOf({ deviceId: series.tags?.device_id ?? '', tagName: series.tags?.tag_name ?? '' }),
    );
    if (!builder) continue;
    for (const [time, min, max, mean] of series.values ?? []) {
      if (typeof min !== 'number' || typeof max !== 'number') continue;
      const m = typeof mean === 'number' ? mean : (min + max) / 2;
      builder.add(Number(time), { min, max, first: m, last: m, sum: m, count: 1 });
    }
  }
}

function describePoint(point: LabelledPoint): string {
  return `tag ${point.labels.tagName} of device ${point.labels.deviceName || point.deviceId} at ${point.timeNs} ns`;
}

function countLines(rejected: RejectedWrite[]): number {
  return rejected.reduce((sum, r) => sum + (Number(/^(\d+) of \d+ lines$/.exec(r.what)?.[1]) || 1), 0);
}
