// Which stored aggregate answers which part of a trend's range: the coarsest level whose
// interval divides the bucket width, for the part of the range that level has already
// aggregated, then the next finer level, and the raw samples for the rest (the newest part).
// Shared by the InfluxDB 1.x and 2.x backends (the embedded store keeps all levels up to date).

export interface AggregateLevel<S> {
  source: S;
  /** the level's interval in ms; used when the bucket width is a multiple of it */
  intervalMs: number;
  /** the level holds everything before this time (its continuous query or task has run) */
  throughMs: number;
}

export interface Segment<S> {
  source: S;
  from: number;
  to: number;
}

/** `levels` coarsest first. */
export function planSegments<S>(
  fromMs: number,
  toMs: number,
  bucketMs: number,
  levels: readonly AggregateLevel<S>[],
  raw: S,
): Segment<S>[] {
  const segments: Segment<S>[] = [];
  let cursor = fromMs;
  for (const level of levels) {
    const end = Math.min(toMs, level.throughMs);
    if (bucketMs % level.intervalMs !== 0 || cursor >= end) continue;
    segments.push({ source: level.source, from: cursor, to: end });
    cursor = end;
  }
  if (cursor < toMs) segments.push({ source: raw, from: cursor, to: toMs });
  return segments;
}
