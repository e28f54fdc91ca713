// Every benchmark ends with one JSON line in this shape, so a script can read and compare them:
// {"bench": "<name>", "metrics": {"<metric>": {"value", "unit", "target", "baseline"}}}
export interface BenchMetric {
  value: number;
  unit: string;
  /** e.g. ">=200000" or "<=15" */
  target: string;
  /** the same-run baseline the value is compared with, or null when there is none */
  baseline: number | null;
}

export function printBenchResult(bench: string, metrics: Record<string, BenchMetric>): void {
  console.log(JSON.stringify({ bench, metrics }));
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
