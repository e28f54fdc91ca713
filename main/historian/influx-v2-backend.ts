// The historian on InfluxDB 2.x through the official client: line protocol to the raw bucket,
// Flux for trends (from the hourly/daily buckets the downsampling tasks fill, when the buckets
// are that coarse) and raw exports. The client's own retry buffer lives in memory and drops on
// overflow, so it is switched off (maxRetries 0): a failed write rejects, the WAL keeps the
// frames and the historian's consumer retries.
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { InfluxConfig } from '../config/historian-config.ts';
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
import { alertEventLine, deviceDataLine, deviceDataSeriesKey, systemMetricsLine } from './influx-line-protocol.ts';
import { rfc3339ToNs } from './influx-time.ts';
import { prepareInfluxV2, v2Buckets, type V2Buckets } from './influx-v2-schema.ts';
import type { TagLabels } from './tag-catalog.ts';
import { planSegments } from './aggregate-segments.ts';
import { DURATIONS } from './trend-buckets.ts';
import { TrendSeriesBuilder } from './trend-series.ts';

type V2Config = Extract<InfluxConfig, { version: 2 }>;

const BATCH_LINES = 5000;
const RAW_CHUNK = 5000;
const str = (value: string): string => JSON.stringify(value);

export class InfluxV2Backend implements HistorianBackend {
  readonly kind = 'influxdb-v2' as const;
  readonly influx: InfluxDB;
  readonly bucketNames: V2Buckets;
  private prepared: Promise<void> | undefined;
  private readonly keys = new WeakMap<TagLabels, string>();
  private readonly log: (message: string) => void;
  private readonly now: () => number;

  constructor(
    private readonly config: Pick<V2Config, 'url' | 'org' | 'bucket' | 'token' | 'timeoutMs'>,
    options: { log?: (message: string) => void; now?: () => number } = {},
  ) {
    this.influx = new InfluxDB({ url: config.url, token: config.token, timeout: config.timeoutMs });
    this.bucketNames = v2Buckets(config.bucket);
    this.log = options.log ?? ((message) => console.warn(`[historian] ${message}`));
    this.now = options.now ?? Date.now;
  }

  get target(): string {
    return `${this.config.url} (org ${this.config.org}, bucket ${this.config.bucket})`;
  }

  prepare(): Promise<void> {
    this.prepared ??= prepareInfluxV2(this.influx, this.config.org, this.bucketNames).catch((error: unknown) => {
      this.prepared = undefined;
      throw asRetryable(error);
    });
    return this.prepared;
  }

  async writeDevicePoints(points: readonly LabelledPoint[]): Promise<WriteReport> {
    const lines: string[] = [];
    const rejected: RejectedWrite[] = [];
    for (const point of points) {
      let key = this.keys.get(point.labels);
      if (key === undefined) this.keys.set(point.labels, (key = deviceDataSeriesKey(point.labels)));
      const line = deviceDataLine(key, point);
      if (line === undefined)
        rejected.push({ what: `a sample of ${point.labels.tagName}`, reason: 'not a finite number' });
      else lines.push(line);
    }
    return this.send(lines, rejected);
  }

  writeSystemMetrics(points: readonly SystemMetricPoint[]): Promise<WriteReport> {
    return this.send(
      points.map(systemMetricsLine).filter((line): line is string => line !== undefined),
      [],
    );
  }

  writeAlertEvents(events: readonly AlertEventPoint[]): Promise<WriteReport> {
    return this.send(events.map(alertEventLine), []);
  }

  private async send(lines: string[], rejected: RejectedWrite[]): Promise<WriteReport> {
    if (lines.length === 0) return { written: 0, rejected };
    await this.prepare();
    let refused = 0;
    for (let i = 0; i < lines.length; i += BATCH_LINES) {
      refused += await this.sendBatch(lines.slice(i, i + BATCH_LINES), rejected);
    }
    return { written: lines.length - refused, rejected };
  }

  /**
   * 2.x answers 422 when it stored the other points and refused some (retention, schema), and
   * 400 when it refused the whole body: then the batch is halved until the bad lines are found.
   * Returns how many lines were refused.
   */
  private async sendBatch(lines: string[], rejected: RejectedWrite[]): Promise<number> {
    const api: WriteApi = this.influx.getWriteApi(this.config.org, this.bucketNames.raw, 'ns', {
      maxRetries: 0,
      batchSize: lines.length + 1,
      flushInterval: 0,
      gzipThreshold: 1000,
      writeFailed: (error) => Promise.reject(error),
    });
    try {
      api.writeRecords(lines);
      await api.flush();
      return 0;
    } catch (error) {
      if (
        error instanceof HttpError &&
        (error.statusCode === 422 || (error.statusCode === 400 && lines.length === 1))
      ) {
        const what = lines.length === 1 ? lines[0]!.slice(0, 500) : `some of ${lines.length} lines`;
        rejected.push({ what, reason: error.body || error.message });
        this.log(`InfluxDB refused ${what}: ${error.body || error.message}`);
        return 1;
      }
      if (error instanceof HttpError && error.statusCode === 400) {
        const half = lines.length >> 1;
        return (
          (await this.sendBatch(lines.slice(0, half), rejected)) + (await this.sendBatch(lines.slice(half), rejected))
        );
      }
      if (error instanceof HttpError && error.statusCode === 404) this.prepared = undefined;
      throw asRetryable(error);
    } finally {
      await api.close().catch(() => undefined);
    }
  }

  async buckets(query: BucketQuery): Promise<BucketAnswer> {
    const { tags, fromMs, toMs, bucketMs } = query;
    const now = this.now();
    const hourlyThrough = Math.floor((now - 2 * DURATIONS.MINUTE) / DURATIONS.HOUR) * DURATIONS.HOUR;
    const dailyThrough = Math.floor((now - DURATIONS.HOUR) / DURATIONS.DAY) * DURATIONS.DAY;
    const aggregated: [string, string, string] = ['min_value', 'max_value', 'mean_value'];
    const source = (bucket: string, measurement: string, fields: [string, string, string], label: string) => ({
      bucket,
      measurement,
      fields,
      label,
    });
    const segments = planSegments(
      fromMs,
      toMs,
      bucketMs,
      [
        {
          source: source(this.bucketNames.daily, 'device_data_daily', aggregated, 'daily'),
          intervalMs: DURATIONS.DAY,
          throughMs: dailyThrough,
        },
        {
          source: source(this.bucketNames.hourly, 'device_data_hourly', aggregated, 'hourly'),
          intervalMs: DURATIONS.HOUR,
          throughMs: hourlyThrough,
        },
      ],
      source(this.bucketNames.raw, 'device_data', ['value', 'value', 'value'], 'raw'),
    );
    const builders = new Map(tags.map((tag) => [seriesOf(tag), new TrendSeriesBuilder(tag.tagId, bucketMs)]));
    const tagFilter = tags
      .map((t) => `(r.device_id == ${str(t.deviceId)} and r.tag_name == ${str(t.tagName)})`)
      .join(' or ');
    const api = this.influx.getQueryApi(this.config.org);
    for (const { source: segment, from, to } of segments) {
      if (tags.length === 0) break;
      const [minField, maxField, meanField] = segment.fields;
      const flux = [
        `data = from(bucket: ${str(segment.bucket)})`,
        `  |> range(start: ${new Date(from).toISOString()}, stop: ${new Date(to).toISOString()})`,
        `  |> filter(fn: (r) => r._measurement == ${str(segment.measurement)} and (${tagFilter}))`,
        `  |> group(columns: ["device_id", "tag_name"])`,
        `w = (field, fn, as) => data |> filter(fn: (r) => r._field == field)`,
        `  |> aggregateWindow(every: ${bucketMs}ms, fn: fn, createEmpty: false, timeSrc: "_start")`,
        `  |> set(key: "_field", value: as)`,
        `union(tables: [w(field: ${str(minField)}, fn: min, as: "min"), w(field: ${str(maxField)}, fn: max, as: "max"), w(field: ${str(meanField)}, fn: mean, as: "mean")])`,
        `  |> pivot(rowKey: ["_time", "device_id", "tag_name"], columnKey: ["_field"], valueColumn: "_value")`,
      ].join('\n');
      try {
        for await (const { values, tableMeta } of api.iterateRows(flux)) {
          const row = tableMeta.toObject(values) as Record<string, unknown>;
          const builder = builders.get(
            seriesOf({ deviceId: String(row.device_id ?? ''), tagName: String(row.tag_name ?? '') }),
          );
          const min = Number(row.min);
          const max = Number(row.max);
          if (!builder || !Number.isFinite(min) || !Number.isFinite(max)) continue;
          const mean = Number.isFinite(Number(row.mean)) ? Number(row.mean) : (min + max) / 2;
          builder.add(Date.parse(String(row._time)), { min, max, first: mean, last: mean, sum: mean, count: 1 });
        }
      } catch (error) {
        throw asRetryable(error);
      }
    }
    return {
      series: tags.map((tag) => builders.get(seriesOf(tag))!.build()),
      source: segments.map((s) => s.source.label).join(' + '),
    };
  }

  async *readRaw(tag: TagLabels, fromMs: number, toMs: number): AsyncGenerator<DevicePoint[]> {
    const flux = [
      `from(bucket: ${str(this.bucketNames.raw)})`,
      `  |> range(start: ${new Date(fromMs).toISOString()}, stop: ${new Date(toMs).toISOString()})`,
      `  |> filter(fn: (r) => r._measurement == "device_data" and r.device_id == ${str(tag.deviceId)} and r.tag_name == ${str(tag.tagName)})`,
      `  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`,
      `  |> group()`,
      `  |> sort(columns: ["_time"])`,
    ].join('\n');
    let chunk: DevicePoint[] = [];
    for await (const { values, tableMeta } of this.influx.getQueryApi(this.config.org).iterateRows(flux)) {
      const row = tableMeta.toObject(values) as Record<string, unknown>;
      chunk.push({
        tagId: tag.tagId,
        deviceId: tag.deviceId,
        timeNs: rfc3339ToNs(String(row._time)),
        value: Number(row.value),
        rawValue: Number(row.raw_value),
        quality: Number(row.quality),
        errorCode: Number(row.error_code),
      });
      if (chunk.length >= RAW_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  async close(): Promise<void> {}
}

function seriesOf(tag: Pick<TagLabels, 'deviceId' | 'tagName'>): string {
  return `${tag.deviceId}\u0000${tag.tagName}`;
}

function asRetryable(error: unknown): Error {
  if (error instanceof RetryableWriteError) return error;
  if (error instanceof HttpError) {
    return new RetryableWriteError(
      `InfluxDB answered ${error.statusCode}: ${error.body || error.message}`,
      error.statusCode,
      {
        cause: error,
      },
    );
  }
  return new RetryableWriteError(`InfluxDB cannot be reached (${(error as Error).message})`, undefined, {
    cause: error,
  });
}
