// A durable consumer reads the WAL after its checkpoint and hands frames to its sink in order.
// The checkpoint advances only after the sink resolved, so a sink that is down (historian
// unreachable, database gone) loses nothing: the same batch is offered again, with backoff,
// until it succeeds. After a crash between a sink write and the checkpoint, that batch is
// offered again: sinks must write idempotently (same series and timestamp overwrite).
// With `maxInFlight` above 1 the next batches are read and offered while earlier ones are still
// being written (a sink waiting on a server leaves the CPU to reading the WAL); the checkpoint
// still advances in order, past a batch only once it and every batch before it are confirmed.
import { nsToMs } from '../frames/frame-clock.ts';
import type { Frame, FrameTypeName } from '../frames/frame.ts';
import { RateMeter } from '../metrics/rate-meter.ts';
import type { FrameChunk } from './frame-cursor.ts';
import type { FrameWal } from './frame-wal.ts';

/** Receives frames in sequence order; resolves once they are safely written. */
export type FrameSink = (frames: Frame[]) => Promise<void>;

export interface ConsumerOptions {
  /** Only these frame types reach the sink (the checkpoint still moves past the others). */
  types?: FrameTypeName[];
  /** Most frames per sink call (default 1000). */
  batchSize?: number;
  /**
   * Sink calls in progress at once (default 1). Above 1 the sink must accept batches
   * concurrently; they are offered in order, but may finish in any order.
   */
  maxInFlight?: number;
  /** Where a consumer without a checkpoint starts: the oldest frame kept (default) or now. */
  startAt?: 'oldest' | 'latest';
  /** Backoff after a failed sink call: doubles from min to max (defaults 100 ms … 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /**
   * How long stop() waits for a sink call in progress (default 5 s). A sink that hangs longer is
   * abandoned: its batch was not confirmed, so it is offered again after the next start.
   */
  stopTimeoutMs?: number;
}

export interface ConsumerMetrics {
  name: string;
  checkpoint: number;
  /** Committed frames not yet confirmed by the sink. */
  lagFrames: number;
  /** Age of the oldest frame not yet confirmed; 0 when caught up. */
  lagSeconds: number;
  framesDelivered: number;
  framesPerSecond: number;
  failing: boolean;
  consecutiveFailures: number;
  lastError: string | undefined;
}

export class DurableConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  /** Ends the wait for new commits (when caught up), and the backoffs after failures. */
  private wakeIdle: (() => void) | undefined;
  private readonly wakeBackoffs = new Set<() => void>();
  private delivered = 0;
  private readonly deliveredMeter = new RateMeter();
  private failures = 0;
  private lastError: string | undefined;
  /** Timestamp (ms) of the oldest frame read but not yet confirmed. */
  private oldestUnconfirmedMs: number | undefined;
  /** Timestamp (ms) of the first frame of the batch being collected. */
  private collectingSinceMs: number | undefined;
  /** Batches offered to the sink and not yet settled, oldest first. */
  private readonly inFlight: Delivery[] = [];
  private readonly wanted: ReadonlySet<FrameTypeName> | undefined;
  private readonly batchSize: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly wal: FrameWal,
    readonly name: string,
    private confirmed: number,
    private readonly sink: FrameSink,
    private readonly options: ConsumerOptions,
    private readonly countOut: (frames: number) => void,
  ) {
    this.wanted = options.types ? new Set(options.types) : undefined;
    this.batchSize = Math.max(1, options.batchSize ?? 1000);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** The last sequence id the sink confirmed (or that was skipped for it). */
  get checkpoint(): number {
    return this.confirmed;
  }

  /** @internal started by FrameWal.consume */
  start(): void {
    this.running = true;
    const unsubscribe = this.wal.onCommit(() => this.wakeIdle?.());
    this.loop = this.run()
      .catch((error: Error) => {
        this.lastError = `stopped: ${error.message}`;
        console.error(`Durable consumer "${this.name}" stopped:`, error);
      })
      .finally(() => {
        unsubscribe();
        this.running = false;
        this.wal.forgetConsumer(this);
      });
  }

  /** Stops after the sink call in progress (if any) finishes or times out. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeIdle?.();
    for (const wake of [...this.wakeBackoffs]) wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.stopTimeoutMs ?? 5000)));
    await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
  }

  metrics(): ConsumerMetrics {
    const lagFrames = Math.max(0, this.wal.committedSequenceId - this.confirmed);
    const oldest = this.oldestUnconfirmedMs;
    return {
      name: this.name,
      checkpoint: this.confirmed,
      lagFrames,
      lagSeconds: lagFrames > 0 && oldest !== undefined ? Math.max(0, (this.wal.now() - oldest) / 1000) : 0,
      framesDelivered: this.delivered,
      framesPerSecond: this.deliveredMeter.perSecond(),
      failing: this.failures > 0,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.wal.committedSequenceId <= this.confirmed) {
        this.oldestUnconfirmedMs = undefined;
        await new Promise<void>((resolve) => (this.wakeIdle = resolve));
        this.wakeIdle = undefined;
        continue;
      }
      try {
        await this.pass();
        this.failures = 0;
        this.lastError = undefined;
      } catch (error) {
        // Reading the WAL or saving the checkpoint failed (the store is being reopened after a
        // failed write, say): back off and read again from the checkpoint.
        this.noteFailure(error);
        await this.backoff();
      }
    }
  }

  /** Reads from the checkpoint to the last committed frame, delivering in batches. */
  private async pass(): Promise<void> {
    const cursor = this.wal.cursor(this.confirmed, { types: this.wanted });
    try {
      let pending: Frame[] = [];
      let through = this.confirmed;
      for (let chunk: FrameChunk | undefined; this.running && (chunk = await cursor.next());) {
        for (const frame of chunk.frames) {
          if (pending.length === 0) {
            this.collectingSinceMs = nsToMs(frame.timestamp);
            this.oldestUnconfirmedMs ??= this.collectingSinceMs;
          }
          pending.push(frame);
          if (pending.length >= this.batchSize) {
            await this.deliver(pending, frame.sequenceId);
            pending = [];
          }
        }
        through = chunk.lastSequenceId;
        // Nothing left to deliver, but entries of other types (or corrupt ones) were passed.
        if (pending.length === 0 && this.inFlight.length === 0 && through > this.confirmed && this.running) {
          await this.advance(through);
        }
      }
      if (pending.length > 0) await this.deliver(pending, through);
      await this.settleAll();
      if (through > this.confirmed && this.running) await this.advance(through);
    } finally {
      // A failed read or checkpoint: no sink call may still run when the next pass offers again.
      await this.settleAll().catch(() => undefined);
      this.collectingSinceMs = undefined;
      await cursor.close();
    }
  }

  private noteFailure(error: unknown): void {
    this.failures++;
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  private async backoff(): Promise<void> {
    const min = this.options.retryMinMs ?? 100;
    const delay = Math.min(this.options.retryMaxMs ?? 10_000, min * 2 ** Math.min(this.failures - 1, 20));
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeBackoffs.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.wakeBackoffs.add(wake);
    });
  }

  /** Offers a batch, and waits while `maxInFlight` batches are unsettled. */
  private async deliver(frames: Frame[], through: number): Promise<void> {
    this.inFlight.push({ frames: frames.length, through, firstMs: this.collectingSinceMs, taken: this.offer(frames) });
    this.collectingSinceMs = undefined;
    while (this.inFlight.length >= this.maxInFlight) await this.settleOldest();
  }

  /** Offers one batch until the sink takes it (true) or the consumer stops (false). Never rejects. */
  private async offer(frames: Frame[]): Promise<boolean> {
    while (this.running) {
      try {
        await this.sink(frames);
      } catch (error) {
        this.noteFailure(error);
        await this.backoff();
        continue;
      }
      this.failures = 0;
      this.lastError = undefined;
      return true;
    }
    return false;
  }

  /** Waits for the oldest batch in flight and advances past it once the sink took it. */
  private async settleOldest(): Promise<void> {
    const delivery = this.inFlight[0]!;
    const taken = await delivery.taken;
    this.inFlight.shift();
    // stopped (maybe abandoned) meanwhile: this batch and the later ones are offered again next start
    if (!taken || !this.running) return;
    this.delivered += delivery.frames;
    this.deliveredMeter.add(delivery.frames);
    this.countOut(delivery.frames);
    await this.advance(delivery.through);
  }

  private async settleAll(): Promise<void> {
    while (this.inFlight.length > 0) await this.settleOldest();
  }

  private async advance(through: number): Promise<void> {
    this.confirmed = through;
    this.oldestUnconfirmedMs = this.inFlight[0]?.firstMs ?? this.collectingSinceMs;
    await this.wal.saveCheckpoint(this.name, through);
  }
}

interface Delivery {
  frames: number;
  /** the checkpoint once this batch (and every one before it) is confirmed */
  through: number;
  firstMs: number | undefined;
  /** resolves true once the sink took the batch, false when the consumer stopped first */
  taken: Promise<boolean>;
}
