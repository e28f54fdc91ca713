// Trends over whichever backend the historian uses: tags × time range × chart width → per tag
// one min/max/mean per bucket (at most one bucket per pixel), with the live tail of samples not
// stored yet; and a raw export of a range as CSV, produced a chunk at a time.
import type { HistorianBackend } from './historian-backend.ts';
import type { LiveTail } from './live-tail.ts';
import type { TagCatalog, TagLabels } from './tag-catalog.ts';
import { bucketWidthMs } from './trend-buckets.ts';
import { type TrendSeries, TrendSeriesBuilder } from './trend-series.ts';

export interface TrendQuery {
  tagIds: string[];
  fromMs: number;
  toMs: number;
  widthPx: number;
}

export interface TrendLine extends TrendSeries {
  tagName: string;
  deviceName: string;
  unit: string;
  /** the first bucket time that includes samples not stored yet (the live tail), if any */
  liveFromMs: number | null;
}

export interface TrendResult {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  /** where the stored buckets came from ("embedded", "raw", "hourly + raw", …) */
  source: string;
  series: TrendLine[];
  tookMs: number;
}

export interface RawRow {
  labels: TagLabels;
  timeNs: bigint;
  value: number;
  rawValue: number;
  quality: number;
  errorCode: number;
}

export class TrendQueryError extends Error {
  override readonly name = 'TrendQueryError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export class TrendService {
  constructor(
    private readonly backend: HistorianBackend,
    private readonly catalog: TagCatalog,
    private readonly tail: LiveTail | undefined,
    /** newest sample time the historian has stored per tag (ms) */
    private readonly storedThrough: (tagId: string) => number | undefined,
  ) {}

  async query(query: TrendQuery): Promise<TrendResult> {
    const started = performance.now();
    checkRange(query.fromMs, query.toMs);
    const bucketMs = bucketWidthMs(query.fromMs, query.toMs, query.widthPx);
    const labels = await this.catalog.labels(query.tagIds);
    const tags = query.tagIds.map((id) => labels.get(id)!);
    const answer = await this.backend.buckets({ tags, fromMs: query.fromMs, toMs: query.toMs, bucketMs });
    const series = answer.series.map((stored, i): TrendLine => {
      const tag = tags[i]!;
      let line: TrendSeries = stored;
      let liveFromMs: number | null = null;
      if (this.tail) {
        const builder = TrendSeriesBuilder.from(stored);
        const first = this.tail.addTo(
          builder,
          tag.tagId,
          query.fromMs,
          query.toMs,
          this.storedThrough(tag.tagId) ?? -Infinity,
        );
        if (first !== undefined) {
          line = builder.build();
          liveFromMs = Math.floor(first / bucketMs) * bucketMs;
        }
      }
      return { ...line, tagName: tag.tagName, deviceName: tag.deviceName, unit: tag.unit, liveFromMs };
    });
    return {
      fromMs: query.fromMs,
      toMs: query.toMs,
      bucketMs,
      source: answer.source,
      series,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** The raw samples of each tag in turn, oldest first, a chunk at a time. */
  async *rawRows(tagIds: string[], fromMs: number, toMs: number): AsyncGenerator<RawRow[]> {
    checkRange(fromMs, toMs);
    const labels = await this.catalog.labels(tagIds);
    for (const tagId of tagIds) {
      const tag = labels.get(tagId)!;
      for await (const points of this.backend.readRaw(tag, fromMs, toMs)) {
        yield points.map((point) => ({
          labels: tag,
          timeNs: point.timeNs,
          value: point.value,
          rawValue: point.rawValue,
          quality: point.quality,
          errorCode: point.errorCode,
        }));
      }
    }
  }
}

function checkRange(fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs))
    throw new TrendQueryError('The time range must be finite', 'from');
  if (toMs <= fromMs) throw new TrendQueryError('The end of the range must be after its start', 'to');
}
