// The last minutes of every tag, kept in memory from the bus, so a trend shows values the
// historian has not stored yet (InfluxDB down, or a backlog still draining). Only samples newer
// than what the historian has confirmed for that tag are merged into a trend.
import type { FrameBus } from '../bus/frame-bus.ts';
import type { Subscription } from '../bus/subscription.ts';
import { devicePoint } from './frame-points.ts';
import { addSample, aggregateOf, type Aggregate } from './series-aggregate.ts';
import type { TrendSeriesBuilder } from './trend-series.ts';

/** At most this many samples per tag, whatever the horizon (a fast tag, a long outage). */
const MAX_PER_TAG = 20_000;

class TagRing {
  times: number[] = [];
  values: number[] = [];
  head = 0;

  push(timeMs: number, value: number, horizonMs: number): void {
    this.times.push(timeMs);
    this.values.push(value);
    while (
      this.head < this.times.length &&
      (this.times[this.head]! < horizonMs || this.times.length - this.head > MAX_PER_TAG)
    ) {
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}

export class LiveTail {
  private readonly rings = new Map<string, TagRing>();
  private readonly subscription: Subscription;

  constructor(
    bus: FrameBus,
    private readonly horizonMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.subscription = bus.subscribe({ name: 'historian-live-tail', types: ['data'], queueLimit: 50_000 }, (frame) => {
      if (frame.type !== 'data') return;
      const point = devicePoint(frame);
      if (!point) return;
      let ring = this.rings.get(point.tagId);
      if (!ring) this.rings.set(point.tagId, (ring = new TagRing()));
      ring.push(Number(point.timeNs / 1_000_000n), point.value, this.now() - this.horizonMs);
    });
  }

  /** Adds the tag's samples in [fromMs, toMs) newer than `afterMs` to `builder`'s buckets. */
  addTo(builder: TrendSeriesBuilder, tagId: string, fromMs: number, toMs: number, afterMs: number): number | undefined {
    const ring = this.rings.get(tagId);
    if (!ring) return undefined;
    const { bucketMs } = builder;
    let bucket = Number.NaN;
    let current: Aggregate | undefined;
    let first: number | undefined;
    for (let i = ring.head; i < ring.times.length; i++) {
      const t = ring.times[i]!;
      if (t <= afterMs || t < fromMs || t >= toMs) continue;
      first ??= t;
      const b = Math.floor(t / bucketMs) * bucketMs;
      if (b !== bucket) {
        if (current) builder.add(bucket, current);
        bucket = b;
        current = aggregateOf(ring.values[i]!);
      } else addSample(current!, ring.values[i]!);
    }
    if (current) builder.add(bucket, current);
    return first;
  }

  stop(): void {
    this.subscription.unsubscribe();
    this.rings.clear();
  }
}
