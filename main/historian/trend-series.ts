// A downsampled series as a chart receives it: one entry per bucket that holds samples (empty
// buckets are left out, so gaps show), in columns so that a month of data stays a few arrays.
import { combine, type Aggregate } from './series-aggregate.ts';

export interface TrendSeries {
  seriesId: string;
  bucketMs: number;
  /** bucket starts, ms since the epoch, ascending */
  t: number[];
  min: number[];
  max: number[];
  mean: number[];
}

/** Collects aggregates per bucket (in any order, overlapping buckets merged) into a TrendSeries. */
export class TrendSeriesBuilder {
  private readonly buckets = new Map<number, Aggregate>();

  constructor(
    readonly seriesId: string,
    readonly bucketMs: number,
  ) {}

  /** A builder holding a built series' buckets (its means count as one sample each). */
  static from(series: TrendSeries): TrendSeriesBuilder {
    const builder = new TrendSeriesBuilder(series.seriesId, series.bucketMs);
    series.t.forEach((t, i) => {
      const mean = series.mean[i]!;
      builder.add(t, { min: series.min[i]!, max: series.max[i]!, first: mean, last: mean, sum: mean, count: 1 });
    });
    return builder;
  }

  add(bucketStartMs: number, aggregate: Aggregate): void {
    this.buckets.set(bucketStartMs, combine(this.buckets.get(bucketStartMs), aggregate)!);
  }

  build(): TrendSeries {
    const series: TrendSeries = { seriesId: this.seriesId, bucketMs: this.bucketMs, t: [], min: [], max: [], mean: [] };
    for (const t of [...this.buckets.keys()].sort((a, b) => a - b)) {
      const a = this.buckets.get(t)!;
      series.t.push(t);
      series.min.push(a.min);
      series.max.push(a.max);
      series.mean.push(a.count > 0 ? a.sum / a.count : (a.min + a.max) / 2);
    }
    return series;
  }
}
