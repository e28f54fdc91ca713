// What a trend shows: its pens and its time range. The Trends screen builds one, a saved trend
// set stores one (trends.sets.*), and both ends agree on the presets.

/** The preset ranges, longest last; a live trend rolls the same window forward. */
export const TREND_PRESETS = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '8h': 8 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
} as const;

export type TrendPreset = keyof typeof TREND_PRESETS;
export const TREND_PRESET_NAMES = Object.keys(TREND_PRESETS) as TrendPreset[];

/** A pen: a tag drawn in a colour (#rrggbb). */
export interface TrendPen {
  tagId: string;
  color: string;
}

export type TrendRange =
  /** the last `preset`, rolling forward with live values */
  | { mode: 'live'; preset: TrendPreset }
  /** the last `preset` as of when it was opened, not moving */
  | { mode: 'preset'; preset: TrendPreset }
  | { mode: 'custom'; fromMs: number; toMs: number };

export interface TrendDefinition {
  pens: TrendPen[];
  range: TrendRange;
}

/** At most this many pens in one trend (trends.query answers at most 32 tags at once). */
export const MAX_PENS = 16;

/** The window a range covers at `nowMs`. */
export function trendWindow(range: TrendRange, nowMs: number): { fromMs: number; toMs: number } {
  if (range.mode === 'custom') return { fromMs: range.fromMs, toMs: range.toMs };
  return { fromMs: nowMs - TREND_PRESETS[range.preset], toMs: nowMs };
}
