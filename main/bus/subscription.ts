// Live subscriptions: frames from memory, in publish order, before or while the WAL writes them.
// Two kinds: every frame (alert engine, command routing) through a bounded queue whose fill
// slows the producers, and coalesced (UI streams) that keep only the latest value per tag and
// deliver at most once per interval, so a slow renderer never holds anything up.
import type { Frame } from '../frames/frame.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import type { CompiledFilter, FrameFilter } from './frame-filter.ts';
import { FrameQueue } from './frame-queue.ts';

export interface SubscribeOptions extends FrameFilter {
  /** Shown in metrics and events ("alert-engine"). */
  name: string;
  /**
   * Frames queued for this subscriber at which the bus slows producers (default 10,000). At
   * twice this the oldest queued frames are dropped and counted: live subscribers must keep up;
   * durable consumers read from the WAL instead.
   */
  queueLimit?: number;
}

export interface CoalescedSubscribeOptions extends FrameFilter {
  name: string;
  /** At most one delivery per interval (default 100 ms: ≤ 10 updates per second). */
  intervalMs?: number;
  /** Frames that cannot be coalesced (events, commands) kept between deliveries (default 10,000). */
  queueLimit?: number;
}

export type FrameHandler = (frame: Frame) => void | Promise<void>;
export type FrameBatchHandler = (frames: Frame[]) => void | Promise<void>;

export interface Subscription {
  readonly name: string;
  /** frames received but not yet handed to the handler */
  readonly queued: number;
  unsubscribe(): void;
}

export interface SubscriptionMetrics {
  name: string;
  kind: 'live' | 'coalesced';
  queued: number;
  delivered: number;
  dropped: number;
  handlerErrors: number;
}

/** What a subscription tells the bus. */
export interface SubscriptionHost {
  queueFull(subscription: LiveSubscription): void;
  queueDrained(subscription: LiveSubscription): void;
  delivered(frames: number): void;
  report(event: SystemEventInput): void;
  remove(subscription: BusSubscription): void;
}

const YIELD_EVERY = 2000;
const ERROR_REPORT_INTERVAL_MS = 10_000;

function isPromise(value: unknown): value is Promise<void> {
  return typeof (value as Promise<void> | undefined)?.then === 'function';
}

abstract class BaseSubscription implements Subscription {
  protected active = true;
  protected delivered = 0;
  protected dropped = 0;
  protected handlerErrors = 0;
  private lastErrorReportAt = -Infinity;
  readonly name: string;
  protected readonly limit: number;

  constructor(
    options: { name: string; queueLimit?: number },
    readonly filter: CompiledFilter,
    protected readonly host: SubscriptionHost,
  ) {
    this.name = options.name;
    this.limit = Math.max(1, options.queueLimit ?? 10_000);
  }

  abstract readonly queued: number;
  abstract enqueue(frame: Frame): void;
  abstract metrics(): SubscriptionMetrics;
  protected abstract stop(): void;

  unsubscribe(): void {
    if (!this.active) return;
    this.active = false;
    this.stop();
    this.host.remove(this as unknown as BusSubscription);
  }

  protected handlerFailed(error: unknown): void {
    this.handlerErrors++;
    const now = performance.now();
    if (now - this.lastErrorReportAt < ERROR_REPORT_INTERVAL_MS) return;
    this.lastErrorReportAt = now;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Frame bus subscriber "${this.name}" failed:`, error);
    this.host.report({
      code: 'bus.subscriber_error',
      severity: 'warning',
      message: `The frame bus subscriber "${this.name}" failed on a frame: ${message}`,
      details: { subscriber: this.name, error: message, errors: this.handlerErrors },
    });
  }
}

export class LiveSubscription extends BaseSubscription {
  private readonly queue = new FrameQueue();
  private pumping = false;
  private full = false;
  /** Twice its limit behind: dropping its oldest frames instead of holding producers back. */
  private shedding = false;
  private lastShedReportAt = -Infinity;

  constructor(
    options: SubscribeOptions,
    filter: CompiledFilter,
    host: SubscriptionHost,
    private readonly handler: FrameHandler,
  ) {
    super(options, filter, host);
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(frame: Frame): void {
    this.queue.push(frame);
    if (this.queue.length >= this.limit && !this.full && !this.shedding) {
      this.full = true;
      this.host.queueFull(this);
    }
    if (this.queue.length > 2 * this.limit) {
      // A subscriber this far behind (or hung) must not stop data acquisition: it loses its
      // oldest frames instead, and producers are released.
      this.queue.shift();
      this.dropped++;
      if (!this.shedding) this.startShedding();
    }
    if (!this.pumping) {
      this.pumping = true;
      queueMicrotask(() => void this.pump());
    }
  }

  metrics(): SubscriptionMetrics {
    const { name, delivered, dropped, handlerErrors } = this;
    return { name, kind: 'live', queued: this.queue.length, delivered, dropped, handlerErrors };
  }

  protected stop(): void {
    this.queue.clear();
    if (this.full) {
      this.full = false;
      this.host.queueDrained(this);
    }
  }

  private startShedding(): void {
    this.shedding = true;
    if (this.full) {
      this.full = false;
      this.host.queueDrained(this);
    }
    const now = performance.now();
    if (now - this.lastShedReportAt < 10_000) return;
    this.lastShedReportAt = now;
    this.host.report({
      code: 'bus.subscriber_overflow',
      severity: 'warning',
      message: `The frame bus subscriber "${this.name}" is more than ${2 * this.limit} frames behind: its oldest frames are dropped`,
      details: { subscriber: this.name, dropped: this.dropped },
    });
  }

  private async pump(): Promise<void> {
    let sinceYield = 0;
    // counted into the bus's rate meter once per run of frames, not per frame (it reads the clock)
    let uncounted = 0;
    while (this.active && this.queue.length > 0) {
      const frame = this.queue.shift()!;
      try {
        const result = this.handler(frame);
        if (isPromise(result)) {
          if (uncounted > 0) this.host.delivered(uncounted);
          uncounted = 0;
          await result;
        }
      } catch (error) {
        this.handlerFailed(error);
      }
      this.delivered++;
      uncounted++;
      if ((this.full || this.shedding) && this.queue.length <= this.limit / 2) {
        this.shedding = false;
        if (this.full) {
          this.full = false;
          this.host.queueDrained(this);
        }
      }
      // A long burst for a synchronous handler: let I/O (the WAL's writes) in between.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        this.host.delivered(uncounted);
        uncounted = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (uncounted > 0) this.host.delivered(uncounted);
    this.pumping = false;
  }
}

export class CoalescedSubscription extends BaseSubscription {
  private readonly latest = new Map<string, Frame>();
  private readonly others = new FrameQueue();
  private readonly intervalMs: number;
  private lastDeliveryAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private delivering = false;

  constructor(
    options: CoalescedSubscribeOptions,
    filter: CompiledFilter,
    host: SubscriptionHost,
    private readonly handler: FrameBatchHandler,
  ) {
    super(options, filter, host);
    this.intervalMs = Math.max(1, options.intervalMs ?? 100);
  }

  enqueue(frame: Frame): void {
    // Values and heartbeats are state: only the latest counts. Events and commands are news.
    const key =
      frame.type === 'data'
        ? `tag:${frame.payload.tagId}`
        : frame.type === 'heartbeat'
          ? `hb:${frame.payload.source}`
          : undefined;
    if (key === undefined) {
      this.others.push(frame);
      if (this.others.length > this.limit) {
        this.others.shift();
        this.dropped++;
      }
    } else {
      if (this.latest.has(key)) this.latest.delete(key); // re-insert: keeps the map in arrival order
      this.latest.set(key, frame);
    }
    this.schedule();
  }

  get queued(): number {
    return this.latest.size + this.others.length;
  }

  metrics(): SubscriptionMetrics {
    const { name, delivered, dropped, handlerErrors } = this;
    return {
      name,
      kind: 'coalesced',
      queued: this.queued,
      delivered,
      dropped,
      handlerErrors,
    };
  }

  protected stop(): void {
    clearTimeout(this.timer);
    this.latest.clear();
    this.others.clear();
  }

  private schedule(): void {
    if (this.timer || this.delivering || !this.active) return;
    const wait = Math.max(0, this.lastDeliveryAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => void this.deliver(), wait);
  }

  private async deliver(): Promise<void> {
    this.timer = undefined;
    if (!this.active) return;
    const frames = [...this.latest.values()];
    for (let frame = this.others.shift(); frame; frame = this.others.shift()) frames.push(frame);
    this.latest.clear();
    if (frames.length === 0) return;
    frames.sort((a, b) => a.sequenceId - b.sequenceId);
    this.lastDeliveryAt = performance.now();
    this.delivering = true;
    try {
      const result = this.handler(frames);
      if (isPromise(result)) await result;
    } catch (error) {
      this.handlerFailed(error);
    }
    this.delivering = false;
    this.delivered += frames.length;
    this.host.delivered(frames.length);
    if (this.latest.size > 0 || this.others.length > 0) this.schedule();
  }
}

export type BusSubscription = LiveSubscription | CoalescedSubscription;
