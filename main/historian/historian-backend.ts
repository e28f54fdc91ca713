// What the historian needs from a store: write the seed's measurements, read a tag's samples
// cut into buckets, and stream its raw samples. Three implement it: the embedded RocksDB store,
// InfluxDB 1.x (InfluxQL, retention policies, continuous queries) and InfluxDB 2.x (Flux).
import type { AlertEventPoint, DevicePoint, SystemMetricPoint } from './historian-points.ts';
import type { TagLabels } from './tag-catalog.ts';
import type { TrendSeries } from './trend-series.ts';

export type HistorianKind = 'embedded' | 'influxdb-v1' | 'influxdb-v2';

/** A sample with the labels of its tag. */
export interface LabelledPoint extends DevicePoint {
  labels: TagLabels;
}

/** A line (or sample) the store refused for good: logged and skipped, never retried. */
export interface RejectedWrite {
  what: string;
  reason: string;
}

export interface WriteReport {
  written: number;
  rejected: RejectedWrite[];
}

/** A write that failed for a reason that may pass (network, 5xx, 429): retried with backoff. */
export class RetryableWriteError extends Error {
  override readonly name = 'RetryableWriteError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface BucketQuery {
  tags: TagLabels[];
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

export interface BucketAnswer {
  series: TrendSeries[];
  /** where the buckets came from, e.g. "raw", "hourly + raw" (shown beside the chart) */
  source: string;
}

export interface HistorianBackend {
  readonly kind: HistorianKind;
  /** where it stores, for the status screen (a folder or a URL) */
  readonly target: string;
  /** Creates what the store needs (database, policies, queries, buckets); safe to repeat. */
  prepare(): Promise<void>;
  writeDevicePoints(points: readonly LabelledPoint[]): Promise<WriteReport>;
  writeSystemMetrics(points: readonly SystemMetricPoint[]): Promise<WriteReport>;
  writeAlertEvents(events: readonly AlertEventPoint[]): Promise<WriteReport>;
  buckets(query: BucketQuery): Promise<BucketAnswer>;
  /** A tag's samples in [fromMs, toMs), oldest first, in chunks (never the whole range at once). */
  readRaw(tag: TagLabels, fromMs: number, toMs: number): AsyncIterable<DevicePoint[]>;
  close(): Promise<void>;
}
