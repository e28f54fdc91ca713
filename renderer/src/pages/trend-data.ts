// The Trends screen's data, apart from React: the gateway's downsampled series merged into the
// rows a recharts chart draws (one row per bucket time, a mean and a [min, max] band per pen,
// gaps where a pen has no samples), one Y axis per unit, live values folded into the last
// buckets, and each pen's value under the cursor.
import type { TrendResult } from '../../../main/historian/trend-service.ts';

/** One pen's downsampled values (the gateway's columns), with what the chart needs to draw it. */
export interface PenSeries {
  tagId: string;
  tagName: string;
  deviceName: string;
  unit: string;
  color: string;
  bucketMs: number;
  t: number[];
  min: number[];
  max: number[];
  mean: number[];
  /** samples folded into each bucket on this screen (live values); 0 for buckets from the gateway */
  liveCount: number[];
}

/** A chart row: the bucket time `t`, and per pen i `m<i>` (mean) and `r<i>` ([min, max]). */
export type ChartRow = { t: number } & Record<string, number | [number, number] | null>;

export function penSeries(result: TrendResult, colors: ReadonlyMap<string, string>): PenSeries[] {
  return result.series.map((line) => ({
    tagId: line.seriesId,
    tagName: line.tagName,
    deviceName: line.deviceName,
    unit: line.unit,
    color: colors.get(line.seriesId) ?? '#888888',
    bucketMs: line.bucketMs,
    t: [...line.t],
    min: [...line.min],
    max: [...line.max],
    mean: [...line.mean],
    liveCount: line.t.map(() => 0),
  }));
}

/**
 * The rows of all pens merged by bucket time, within [fromMs, toMs]. A pen with no samples for
 * more than one bucket gets a null row after its last value, so its line breaks at the gap.
 */
export function chartRows(pens: readonly PenSeries[], fromMs: number, toMs: number): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const row = (t: number): ChartRow => {
    let found = rows.get(t);
    if (!found) rows.set(t, (found = { t } as ChartRow));
    return found;
  };
  pens.forEach((pen, i) => {
    const mean = `m${i}`;
    const band = `r${i}`;
    const gap = gapAfterMs(pen);
    for (let k = 0; k < pen.t.length; k++) {
      const t = pen.t[k]!;
      if (t + pen.bucketMs < fromMs || t > toMs) continue;
      const r = row(t);
      r[mean] = pen.mean[k]!;
      r[band] = [pen.min[k]!, pen.max[k]!];
      const next = pen.t[k + 1];
      if (next !== undefined && next - t > gap) {
        const gap = row(t + pen.bucketMs);
        gap[mean] ??= null;
        gap[band] ??= null;
      }
    }
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/**
 * How far apart two buckets may be and still be joined by the line: a tag scanned every 5 s in
 * 1-s buckets has every fifth bucket, which is no gap. Gaps are more than 2.5 times the pen's
 * usual spacing (the median over its buckets), or its bucket width when that is larger.
 */
export function gapAfterMs(pen: Pick<PenSeries, 't' | 'bucketMs'>): number {
  const { t } = pen;
  const step = Math.max(1, Math.floor(t.length / 200));
  const spacings: number[] = [];
  for (let k = step; k < t.length; k += step) spacings.push((t[k]! - t[k - step]!) / step);
  spacings.sort((a, b) => a - b);
  const usual = spacings[Math.floor(spacings.length / 2)] ?? pen.bucketMs;
  return 2.5 * Math.max(pen.bucketMs, usual);
}

/** One Y axis per unit: pens that share a unit share the axis; the first unit is on the left. */
export function unitAxes(pens: readonly Pick<PenSeries, 'unit' | 'color'>[]): { unit: string; color: string }[] {
  const axes: { unit: string; color: string }[] = [];
  for (const pen of pens)
    if (!axes.some((axis) => axis.unit === pen.unit)) axes.push({ unit: pen.unit, color: pen.color });
  return axes;
}

export const axisId = (unit: string): string => `unit:${unit}`;

/** Folds a live value into its bucket (a new bucket at the end, or the last one). */
export function addLiveValue(pen: PenSeries, timeMs: number, value: number): void {
  const bucket = Math.floor(timeMs / pen.bucketMs) * pen.bucketMs;
  const last = pen.t.length - 1;
  const lastT = pen.t[last];
  if (lastT !== undefined && bucket < lastT) return; // older than what the chart shows: the gateway has it
  if (lastT === bucket) {
    const n = pen.liveCount[last]! + 1;
    // a bucket from the gateway counts as one sample of its mean (as the gateway's live tail does)
    const weight = pen.liveCount[last] === 0 ? 1 : pen.liveCount[last]!;
    pen.mean[last] = (pen.mean[last]! * weight + value) / (weight + 1);
    pen.min[last] = Math.min(pen.min[last]!, value);
    pen.max[last] = Math.max(pen.max[last]!, value);
    pen.liveCount[last] = n;
    return;
  }
  pen.t.push(bucket);
  pen.min.push(value);
  pen.max.push(value);
  pen.mean.push(value);
  pen.liveCount.push(1);
}

/** Drops the buckets that ended before `fromMs` (a live window rolling forward). */
export function dropBefore(pen: PenSeries, fromMs: number): void {
  let keep = 0;
  while (keep < pen.t.length && pen.t[keep]! + pen.bucketMs <= fromMs) keep++;
  if (keep === 0) return;
  for (const column of [pen.t, pen.min, pen.max, pen.mean, pen.liveCount]) column.splice(0, keep);
}

/** The pen's bucket holding `timeMs` or the one before it on the line; undefined in a gap or outside the data. */
export function valueAt(pen: PenSeries, timeMs: number): { mean: number; min: number; max: number } | undefined {
  const { t } = pen;
  let lo = 0;
  let hi = t.length - 1;
  if (hi < 0 || timeMs < t[0]!) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]! <= timeMs) lo = mid;
    else hi = mid - 1;
  }
  // between two buckets that the line joins, the one before
  if (timeMs >= t[lo]! + pen.bucketMs && (lo === t.length - 1 || t[lo + 1]! - t[lo]! > gapAfterMs(pen)))
    return undefined;
  return { mean: pen.mean[lo]!, min: pen.min[lo]!, max: pen.max[lo]! };
}

/** A live tag value as a number a trend can draw (booleans 0/1); null for text, bytes and no value. */
export function trendNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** Distinct pen colours (Tableau 10 and a few more), readable on light and dark backgrounds. */
export const PEN_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#ad494a',
  '#637939',
  '#8ca252',
  '#e7969c',
  '#7b4173',
];

/** The first colour no pen uses yet. */
export function nextColor(used: readonly string[]): string {
  return PEN_COLORS.find((color) => !used.includes(color)) ?? PEN_COLORS[used.length % PEN_COLORS.length]!;
}
