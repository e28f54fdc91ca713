// The last N latency samples, for percentiles on demand (p99 commit latency on the system screen).
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(size = 2048) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count++;
  }

  /** Nearest-rank percentile of the samples held; 0 when there are none. */
  percentile(p: number): number {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return 0;
    const sorted = this.samples.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  }
}
