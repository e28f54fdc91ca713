// What the alert engine knows about one tag: its latest value and quality, when it last updated,
// and — only when some rule asks for a window — a short history of good values for avg, rate
// and delta. A value holds until the next one (a step function), so a tag that stops updating
// (the codec's deadband suppresses unchanged values) still averages and ages correctly.
import type { TagSignal } from './condition-expression.ts';

export class TagSeries implements TagSignal {
  private current = NaN;
  private good = false;
  /** when the tag last updated (any quality), or when the engine started watching it */
  private updatedAtMs: number;
  /** since when the tag has been Bad, for the communication alert */
  badSinceMs: number | undefined;
  badReason = '';
  private retainMs = 0;
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(
    readonly tagId: string,
    readonly deviceId: string,
    /** "PLC-001/T1", for messages */
    readonly label: string,
    startedAtMs: number,
  ) {
    this.updatedAtMs = startedAtMs;
  }

  /** Rules are being reloaded: they say again how much history they need. */
  resetRetention(): void {
    this.retainMs = 0;
  }

  retain(windowMs: number): void {
    this.retainMs = Math.max(this.retainMs, windowMs);
  }

  get isGood(): boolean {
    return this.good;
  }

  /** The latest value, whatever its quality (what an alert reports as triggered_value). */
  get lastValue(): number {
    return this.current;
  }

  update(value: number, good: boolean, atMs: number): void {
    this.updatedAtMs = atMs;
    this.good = good;
    this.current = value;
    if (!good || this.retainMs === 0) return;
    this.times.push(atMs);
    this.values.push(value);
    // Keep one value older than the window: it is the value at the window's start.
    const horizon = atMs - this.retainMs;
    while (this.head + 1 < this.times.length && (this.times[this.head + 1] as number) <= horizon) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  value(): number {
    return this.good ? this.current : NaN;
  }

  ageMs(nowMs: number): number {
    return Math.max(0, nowMs - this.updatedAtMs);
  }

  valueAt(atMs: number): { value: number; atMs: number } | undefined {
    const n = this.times.length;
    if (n === this.head) return undefined;
    let found = this.head;
    for (let i = n - 1; i >= this.head; i--) {
      if ((this.times[i] as number) <= atMs) {
        found = i;
        break;
      }
    }
    const at = this.times[found] as number;
    // A value older than the window held until the window's start.
    return { value: this.values[found] as number, atMs: Math.max(at, atMs) };
  }

  average(windowMs: number, nowMs: number): number {
    if (!this.good) return NaN;
    const n = this.times.length;
    if (n === this.head) return NaN;
    const start = nowMs - windowMs;
    let weighted = 0;
    let span = 0;
    // Walk back from now: each value holds from its time until the next value (or now).
    let until = nowMs;
    for (let i = n - 1; i >= this.head; i--) {
      const at = this.times[i] as number;
      const from = Math.max(at, start);
      if (until > from) {
        weighted += (this.values[i] as number) * (until - from);
        span += until - from;
      }
      if (at <= start) break;
      until = at;
    }
    return span > 0 ? weighted / span : (this.values[n - 1] as number);
  }
}
