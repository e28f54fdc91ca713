// The Trends screen's data, apart from React: the gateway's downsampled series as SVG paths (a
// line of means and a [min, max] band per pen, broken where a pen has no samples), one Y axis per
// unit with a round range, live values folded into the last buckets, and each pen's value under
// the cursor.
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

/** A pen drawn on the plot: the SVG path of its line of means and of its [min, max] band. */
export interface PenPaths {
  line: string;
  /** empty when no bucket holds two different values (nothing to shade) */
  band: string;
}

/**
 * The SVG paths of one pen within [fromMs, toMs] (plus the bucket on either side, so the line runs
 * to the plot's edges; the plot clips it), on the chart's scales. The line breaks at gaps (see
 * gapAfterMs); the band is one closed shape per unbroken stretch, min below and max above.
 */
export function penPaths(
  pen: PenSeries,
  x: (timeMs: number) => number,
  y: (value: number) => number,
  fromMs: number,
  toMs: number,
): PenPaths {
  const { t, min, max, mean } = pen;
  let first = 0;
  while (first < t.length - 1 && t[first + 1]! <= fromMs) first++;
  let last = t.length - 1;
  while (last > first && t[last - 1]! >= toMs) last--;
  const gap = gapAfterMs(pen);
  const banded = min.some((value, i) => value !== max[i]);
  const line: string[] = [];
  const band: string[] = [];
  let stretch = first;
  const closeBand = (end: number) => {
    if (!banded) return;
    const upper: string[] = [];
    const lower: string[] = [];
    for (let k = stretch; k <= end; k++) {
      const px = round2(x(t[k]!));
      upper.push(`${px},${round2(y(max[k]!))}`);
      lower.push(`${px},${round2(y(min[k]!))}`);
    }
    band.push(`M${upper.join('L')}L${lower.reverse().join('L')}Z`);
  };
  for (let k = first; k <= last; k++) {
    const point = `${round2(x(t[k]!))},${round2(y(mean[k]!))}`;
    if (k === first || t[k]! - t[k - 1]! > gap) {
      if (k !== first) closeBand(k - 1);
      stretch = k;
      line.push(`M${point}`);
    } else line.push(`L${point}`);
  }
  if (t.length > 0) closeBand(last);
  return { line: line.join(''), band: band.join('') };
}

/** Two decimals are more than a screen shows, and keep the path text short. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * A Y axis range for the pens sharing it: their lowest min to their highest max, widened to round
 * numbers (steps of 1, 2 or 5 × 10ⁿ, about five of them) as a chart axis usually is. A flat line
 * gets a range around it. Undefined when the pens have no values.
 */
export function axisDomain(pens: readonly Pick<PenSeries, 'min' | 'max'>[]): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const pen of pens) {
    for (const value of pen.min) if (value < low) low = value;
    for (const value of pen.max) if (value > high) high = value;
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return undefined;
  if (low === high) {
    const pad = Math.abs(low) / 10 || 1;
    low -= pad;
    high += pad;
  }
  const rough = (high - low) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

/**
 * How far apart two buckets may be and still be joined by the line: a tag scanned every 5 s in
 * 1-s buckets has every fifth bucket, which is no gap. Gaps are more than 2.5 times the pen's
 * usual spacing (the median over its buckets), or its bucket width when that is larger.
 */
export function gapAfterMs(pen: Pick<PenSeries, 't' | 'bucketMs'>): number {
  return 2.5 * Math.max(pen.bucketMs, usualSpacingMs(pen.t) ?? pen.bucketMs);
}

/** The median distance between neighbouring buckets (sampled: ~200 of them); undefined below two. */
function usualSpacingMs(t: readonly number[]): number | undefined {
  const step = Math.max(1, Math.floor(t.length / 200));
  const spacings: number[] = [];
  for (let k = step; k < t.length; k += step) spacings.push((t[k]! - t[k - step]!) / step);
  spacings.sort((a, b) => a - b);
  return spacings[Math.floor(spacings.length / 2)];
}

/**
 * Whether the chart shows the raw samples rather than downsampled buckets: the buckets are finer
 * than the data (each pen's buckets usually lie more than a bucket apart) and none holds two
 * different values. Then "1 point per 0.042 s" would describe the buckets, not the data.
 */
export function showsRawSamples(pens: readonly Pick<PenSeries, 't' | 'bucketMs' | 'min' | 'max'>[]): boolean {
  const measured = pens.filter((pen) => pen.t.length >= 2);
  return (
    measured.length > 0 &&
    measured.every((pen) => usualSpacingMs(pen.t)! > pen.bucketMs && pen.min.every((min, i) => min === pen.max[i]))
  );
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
