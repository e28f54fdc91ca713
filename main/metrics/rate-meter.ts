// Events per second over the last few seconds, in one-second buckets: cheap enough to call on
// every frame, and steady enough for the system screen.
export class RateMeter {
  private readonly buckets: Float64Array;
  private currentSecond = -1;
  private readonly startedAt: number;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.buckets = new Float64Array(windowSeconds + 1);
    this.startedAt = now();
  }

  add(count = 1): void {
    this.advance();
    this.buckets[this.currentSecond % this.buckets.length]! += count;
  }

  /** Average rate over the last completed window seconds (fewer right after start). */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (let s = 1; s <= this.windowSeconds; s++) {
      const second = this.currentSecond - s;
      if (second < 0) break;
      sum += this.buckets[second % this.buckets.length]!;
    }
    const elapsed = Math.min(this.windowSeconds, Math.floor((this.now() - this.startedAt) / 1000));
    return elapsed > 0 ? sum / elapsed : 0;
  }

  private advance(): void {
    const second = Math.floor((this.now() - this.startedAt) / 1000);
    if (second === this.currentSecond) return;
    // clear the buckets of the seconds that passed without events
    const from = Math.max(this.currentSecond + 1, second - this.buckets.length + 1);
    for (let s = from; s <= second; s++) this.buckets[s % this.buckets.length] = 0;
    this.currentSecond = second;
  }
}
