// The historian backend over the embedded series store: a tag's series is its id; system
// metrics are series of their own (system.{component}.{instance}.{field}).
import {
  type BucketAnswer,
  type BucketQuery,
  type HistorianBackend,
  type LabelledPoint,
  type WriteReport,
} from './historian-backend.ts';
import { type EmbeddedSeriesStore, type SeriesSample, seriesIdProblem } from './embedded-series-store.ts';
import {
  type AlertEventPoint,
  type DevicePoint,
  type SystemMetricPoint,
  systemMetricSeriesId,
} from './historian-points.ts';
import type { TagLabels } from './tag-catalog.ts';

const EXPORT_CHUNK = 5000;

export class EmbeddedBackend implements HistorianBackend {
  readonly kind = 'embedded' as const;

  constructor(readonly store: EmbeddedSeriesStore) {}

  get target(): string {
    return this.store.location;
  }

  async prepare(): Promise<void> {}

  async writeDevicePoints(points: readonly LabelledPoint[]): Promise<WriteReport> {
    const samples: SeriesSample[] = [];
    const report: WriteReport = { written: 0, rejected: [] };
    for (const point of points) {
      const refusal = seriesIdProblem(point.tagId);
      if (refusal !== undefined) {
        report.rejected.push({ what: `a sample of tag "${point.tagId}"`, reason: refusal });
        continue;
      }
      samples.push({
        seriesId: point.tagId,
        timeNs: point.timeNs,
        value: point.value,
        rawValue: point.rawValue,
        quality: point.quality,
        errorCode: point.errorCode,
      });
    }
    await this.store.write(samples);
    report.written = samples.length;
    return report;
  }

  async writeSystemMetrics(points: readonly SystemMetricPoint[]): Promise<WriteReport> {
    const samples: SeriesSample[] = [];
    for (const point of points) {
      for (const [field, value] of Object.entries(point.fields)) {
        if (!Number.isFinite(value)) continue;
        samples.push({
          seriesId: systemMetricSeriesId(point, field),
          timeNs: point.timeNs,
          value,
          rawValue: value,
          quality: 0,
          errorCode: 0,
        });
      }
    }
    await this.store.write(samples);
    return { written: samples.length, rejected: [] };
  }

  async writeAlertEvents(events: readonly AlertEventPoint[]): Promise<WriteReport> {
    await this.store.writeAlertEvents(events);
    return { written: events.length, rejected: [] };
  }

  async buckets(query: BucketQuery): Promise<BucketAnswer> {
    const series = await Promise.all(
      query.tags.map((tag) => this.store.buckets(tag.tagId, query.fromMs, query.toMs, query.bucketMs)),
    );
    return { series, source: 'embedded' };
  }

  async *readRaw(tag: TagLabels, fromMs: number, toMs: number): AsyncGenerator<DevicePoint[]> {
    let chunk: DevicePoint[] = [];
    for await (const samples of this.store.readRaw(tag.tagId, BigInt(fromMs) * 1_000_000n, BigInt(toMs) * 1_000_000n)) {
      for (const sample of samples) {
        chunk.push({
          tagId: tag.tagId,
          deviceId: tag.deviceId,
          timeNs: sample.timeNs,
          value: sample.value,
          rawValue: sample.rawValue,
          quality: sample.quality,
          errorCode: sample.errorCode,
        });
      }
      if (chunk.length >= EXPORT_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
