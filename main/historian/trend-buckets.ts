// How a time range is cut into buckets for a chart: at most one bucket per pixel (each bucket
// gives a min and a max, so ≤ 2 points per pixel), with "round" widths that line up with the
// stored aggregates (10 s, 1 min, 1 h), so a bucket is always a whole number of them.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round bucket widths in ms; ranges finer than 1 s per pixel use whole milliseconds. */
const ROUND_WIDTHS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  20 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/** The smallest round width that cuts [fromMs, toMs) into at most `widthPx` buckets. */
export function bucketWidthMs(fromMs: number, toMs: number, widthPx: number): number {
  const exact = Math.max(1, Math.ceil((toMs - fromMs) / Math.max(1, Math.floor(widthPx))));
  if (exact < SECOND) return exact;
  return ROUND_WIDTHS.find((width) => width >= exact) ?? Math.ceil(exact / DAY) * DAY;
}

/** Start of the bucket holding `timeMs` (buckets line up with the epoch, so with UTC days). */
export function bucketStart(timeMs: number, widthMs: number): number {
  return Math.floor(timeMs / widthMs) * widthMs;
}

export const DURATIONS = { SECOND, MINUTE, HOUR, DAY } as const;
