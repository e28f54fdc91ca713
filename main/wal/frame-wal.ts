// The write-ahead log of every frame. The bus appends each frame as it is published; frames are
// written to RocksDB in groups (group commit: one batch per few milliseconds or per N frames,
// fsynced in the default `sync` mode), and a frame counts as durable only once its batch is
// written. Durable consumers (historian, relational writer) read from here after their own
// checkpoint. Sequence numbers continue across restarts and are never reused.
import path from 'node:path';
import { encodeFrameView } from '../frames/frame-codec.ts';
import { parseFrameKey } from '../frames/frame-key.ts';
import type { Frame, FrameTypeName } from '../frames/frame.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { LatencyWindow } from '../metrics/latency-window.ts';
import { RateMeter } from '../metrics/rate-meter.ts';
import { FrameBlockBuilder, walkValue } from './frame-block.ts';
import { DurableConsumer, type ConsumerOptions, type ConsumerMetrics, type FrameSink } from './durable-consumer.ts';
import { FrameCursor, type FrameChunk } from './frame-cursor.ts';
import { TrackedConsumer } from './tracked-consumer.ts';
import { CONSUMER_RANGE, consumerKey, consumerName, FRAME_RANGE, LAST_SEQUENCE_KEY } from './wal-keys.ts';
import { WalRetention, type RetentionOptions, type RetentionReport } from './wal-retention.ts';
import { isStorageCorruption, type WalStorage, type WalStorageBatch } from './wal-storage.ts';

/**
 * `sync`: a batch is acknowledged once it is on the disk (fsync): survives a power cut.
 * `async`: acknowledged once the operating system has it: survives a crash of the app, but the
 * last few milliseconds can be lost in a power cut.
 */
export type Durability = 'sync' | 'async';

export interface FrameWalOptions {
  storage: WalStorage;
  durability?: Durability;
  /** How long the first frame of a batch waits for company before the batch is written. */
  groupCommitMs?: number;
  /** A batch is written at once when it holds this many frames. */
  groupCommitFrames?: number;
  retention?: Partial<RetentionOptions>;
  /** System events (corruption, retention drops, write failures) to publish on the bus. */
  onEvent?: (event: SystemEventInput) => void;
  /** Milliseconds since the epoch; tests move time for retention. */
  now?: () => number;
}

export interface WalMetrics {
  durability: Durability;
  /** Highest sequence id appended, and highest written to disk. */
  lastSequenceId: number;
  committedSequenceId: number;
  /** Frames appended but not yet written. */
  pendingFrames: number;
  framesInPerSecond: number;
  framesCommittedPerSecond: number;
  /** Frames per second confirmed by all durable consumers together. */
  framesOutPerSecond: number;
  commitLatencyP50Ms: number;
  commitLatencyP99Ms: number;
  sizeBytes: number;
  maxSizeBytes: number;
  corruptFrames: number;
  /** Frames deleted by the size cap before every consumer had confirmed them. */
  droppedFrames: number;
  /** Group-commit batches written, and write attempts that failed (and were retried). */
  batchesWritten: number;
  writeFailures: number;
  consumers: ConsumerMetrics[];
}

export class WalClosedError extends Error {
  override readonly name = 'WalClosedError';
}

interface OpenBatch {
  frames: Frame[];
  firstAppendAt: number;
  /**
   * The storage batch the first `encoded` frames are already in, or in the WAL's block builder
   * on their way to it (none while the store recovers).
   */
  storage?: WalStorageBatch;
  encoded: number;
}

interface DurableWaiter {
  sequenceId: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Write failures are reported at most this often; the count goes on in the metrics. */
const FAILURE_EVENT_INTERVAL_MS = 10_000;

/**
 * The highest sequence id used so far: the one stored with every batch, and the newest stored
 * frame (stores written before that key existed). Either one is enough when RocksDB refuses the
 * other as damaged (a refused table block, sst-check.ts): the stored one is written with every
 * batch, so it is at least the newest frame.
 */
async function lastUsedSequence(storage: WalStorage): Promise<number> {
  // undefined: never stored (a new store, or one written before the key existed)
  const stored = await unlessRefused(async () => {
    const value = await storage.get(LAST_SEQUENCE_KEY);
    return value === undefined ? undefined : Number(value.toString()) || 0;
  });
  const newest = await unlessRefused(async () => {
    const cursor = storage.cursor({ ...FRAME_RANGE, reverse: true, limit: 1 });
    try {
      const chunk = await cursor.next();
      const first = chunk ? parseFrameKey(chunk.keys[0]!) : undefined;
      // the newest value's last frame (a block's framing is enough; a damaged one counts from its key)
      return first === undefined ? 0 : Math.max(walkValue(first, chunk!.values[0]!, () => false).last, first);
    } finally {
      await cursor.close();
    }
  });
  if (typeof stored === 'number') return Math.max(stored, typeof newest === 'number' ? newest : 0);
  // Without the stored id, the newest frame decides; unless it is unreadable too, or there is
  // none left (retention may have deleted every frame) while the stored id was refused.
  if (typeof newest === 'number' && (stored === undefined || newest > 0)) return newest;
  const damage = newest instanceof Error ? newest : (stored as Error);
  throw new Error(
    `The write-ahead log in ${storage.location} cannot tell which sequence numbers it used: the blocks that hold them are damaged (${damage.message})`,
    { cause: damage },
  );
}

/** What `read` returns, or the error when RocksDB refuses it as damaged (any other error throws). */
async function unlessRefused<T>(read: () => Promise<T>): Promise<T | Error> {
  try {
    return await read();
  } catch (error) {
    if (!isStorageCorruption(error)) throw error;
    return error as Error;
  }
}

export async function openFrameWal(options: FrameWalOptions): Promise<FrameWal> {
  return new FrameWal(options, await lastUsedSequence(options.storage));
}

export class FrameWal {
  readonly durability: Durability;
  private readonly storage: WalStorage;
  private readonly groupCommitMs: number;
  private readonly groupCommitFrames: number;
  private readonly emit: (event: SystemEventInput) => void;
  readonly now: () => number;

  private appended: number;
  private committed: number;
  private open: OpenBatch | undefined;
  /** Collects the open batch's encoded frames into block values (frame-block.ts). */
  private readonly blocks = new FrameBlockBuilder();
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  /** Set while a failed write waits for its retry, and while the store is being reopened. */
  private retryTimer: NodeJS.Timeout | undefined;
  private recovering: Promise<void> | undefined;
  private consecutiveFailures = 0;
  private lastFailureEventAt = -Infinity;
  private writeFailures = 0;
  private batchesWritten = 0;
  private waiters: DurableWaiter[] = [];
  private readonly commitListeners = new Set<() => void>();
  private closing: Promise<void> | undefined;

  private readonly inMeter = new RateMeter();
  private readonly committedMeter = new RateMeter();
  private readonly outMeter = new RateMeter();
  private readonly commitLatency = new LatencyWindow();

  private readonly corruptSeen = new Set<number>();
  private corruptCount = 0;
  private corruptReport: { first: number; last: number; count: number; reason: string } | undefined;

  private readonly consumers = new Map<string, DurableConsumer | TrackedConsumer>();
  private readonly retention: WalRetention;

  /** @internal use openFrameWal */
  constructor(options: FrameWalOptions, lastSequenceId: number) {
    this.storage = options.storage;
    this.durability = options.durability ?? 'sync';
    this.groupCommitMs = options.groupCommitMs ?? 2;
    this.groupCommitFrames = options.groupCommitFrames ?? 2000;
    this.emit = options.onEvent ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.appended = lastSequenceId;
    this.committed = lastSequenceId;
    this.retention = new WalRetention(this, this.storage, options.retention ?? {}, this.emit);
    this.retention.start();
    // After the caller has had the WAL: the gateway's events go to the bus it builds on it.
    if (this.storage.tableDamage.length > 0) setImmediate(() => this.reportTableDamage());
  }

  /** Damaged table files that the store found when it opened (sst-check.ts), one event each. */
  private reportTableDamage(): void {
    for (const { file, damagedBlocks, unreadable } of this.storage.tableDamage) {
      const name = path.basename(file);
      const consequence = unreadable
        ? `${unreadable}, so RocksDB refuses the whole file from now on: the frames in it are skipped and reported as damaged when read`
        : `${damagedBlocks} of its blocks failed their checksum and are refused from now on: the frames they held are skipped and reported as damaged when read`;
      this.emit({
        code: 'wal.damaged_table',
        severity: 'critical',
        message: `Table file ${name} of the write-ahead log in ${this.storage.location} is damaged; ${consequence}`,
        details: { file: name, damagedBlocks, ...(unreadable && { unreadable }) },
      });
    }
  }

  /** The highest sequence id appended so far (the bus continues after it). */
  get lastSequenceId(): number {
    return this.appended;
  }

  /** The highest sequence id that is durable. */
  get committedSequenceId(): number {
    return this.committed;
  }

  /** Frames appended but not yet written. */
  get pendingFrames(): number {
    return this.appended - this.committed;
  }

  get location(): string {
    return this.storage.location;
  }

  /**
   * Adds a frame to the open batch. Its sequence id must be above every earlier one. The frame
   * is durable once `whenDurable(frame.sequenceId)` resolves.
   */
  append(frame: Frame): void {
    if (this.closing) throw new WalClosedError('The write-ahead log is closed; the frame was not stored');
    if (!(frame.sequenceId > this.appended)) {
      throw new RangeError(`Frame sequence ${frame.sequenceId} is not after the last one (${this.appended})`);
    }
    let bytes: Buffer;
    try {
      // Encoded now: a frame that cannot be encoded is refused here instead of failing its batch
      // forever, and encoding overlaps the write of the previous batch on RocksDB's thread.
      bytes = encodeFrameView(frame);
    } catch (error) {
      throw new RangeError(`The ${frame.type} frame cannot be encoded: ${(error as Error).message}`, { cause: error });
    }
    const batch = (this.open ??= { frames: [], firstAppendAt: performance.now(), encoded: 0 });
    if (batch.encoded === batch.frames.length && !this.recovering && !this.storage.needsReopen) {
      this.blocks.add((batch.storage ??= this.storage.batch()), frame.sequenceId, bytes);
      batch.encoded++;
    }
    batch.frames.push(frame);
    this.appended = frame.sequenceId;
    this.inMeter.add();
    if (this.writing || this.retryTimer || this.recovering) return;
    if (batch.frames.length >= this.groupCommitFrames) this.write();
    else this.timer ??= setTimeout(() => this.write(), this.groupCommitMs);
  }

  /** Resolves once every frame up to `sequenceId` is durable. */
  whenDurable(sequenceId: number): Promise<void> {
    if (sequenceId <= this.committed) return Promise.resolve();
    if (sequenceId > this.appended) {
      return Promise.reject(new RangeError(`Frame ${sequenceId} was never appended (last is ${this.appended})`));
    }
    if (this.closing && !this.writing && !this.open) return Promise.reject(new WalClosedError('closed'));
    return new Promise((resolve, reject) => {
      const waiter = { sequenceId, resolve, reject };
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1]!.sequenceId > sequenceId) i--;
      this.waiters.splice(i, 0, waiter);
    });
  }

  /** Resolves once everything appended so far is durable. */
  flush(): Promise<void> {
    this.write();
    return this.whenDurable(this.appended);
  }

  /** Called after every commit (durable consumers wait for new frames with it). */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Reads committed frames in (afterSequenceId, throughSequenceId], verifying each. */
  cursor(afterSequenceId: number, options: { through?: number; types?: ReadonlySet<FrameTypeName> } = {}): FrameCursor {
    const through = Math.min(options.through ?? this.committed, this.committed);
    return new FrameCursor(
      this.storage,
      afterSequenceId,
      through,
      (seq, reason) => this.noteCorrupt(seq, reason),
      options.types,
    );
  }

  /** Up to `limit` committed frames after `afterSequenceId` (for tools and tests). */
  async read(afterSequenceId: number, limit = 1000): Promise<FrameChunk> {
    const cursor = this.cursor(afterSequenceId);
    const frames: Frame[] = [];
    let lastSequenceId = afterSequenceId;
    try {
      while (frames.length < limit) {
        const chunk = await cursor.next();
        if (!chunk) break;
        frames.push(...chunk.frames);
        lastSequenceId = chunk.lastSequenceId;
      }
    } finally {
      await cursor.close();
    }
    if (frames.length > limit) {
      frames.length = limit;
      lastSequenceId = frames[limit - 1]!.sequenceId;
    }
    return { frames, lastSequenceId };
  }

  /**
   * Starts a durable consumer: `sink` receives the frames after the consumer's checkpoint in
   * order, in batches; the checkpoint advances only when `sink` resolves. A sink that throws is
   * retried with backoff with the same batch. The checkpoint lives in this database, so the
   * consumer resumes where it stopped after a restart.
   */
  async consume(name: string, sink: FrameSink, options: ConsumerOptions = {}): Promise<DurableConsumer> {
    if (this.closing) throw new WalClosedError('The write-ahead log is closed');
    if (this.consumers.has(name)) throw new Error(`A durable consumer named "${name}" is already running`);
    const checkpoint = await this.registeredCheckpoint(name, options);
    const consumer = new DurableConsumer(this, name, checkpoint, sink, options, (count) => this.outMeter.add(count));
    this.consumers.set(name, consumer);
    consumer.start();
    return consumer;
  }

  /**
   * Starts a tracked consumer: one whose owner confirms frames with `advance(sequenceId)` instead
   * of reading them (see tracked-consumer.ts). It continues from the checkpoint stored under
   * `name`, which a durable consumer of that name may have moved before.
   */
  async track(name: string, options: Pick<ConsumerOptions, 'startAt'> = {}): Promise<TrackedConsumer> {
    if (this.closing) throw new WalClosedError('The write-ahead log is closed');
    if (this.consumers.has(name)) throw new Error(`A durable consumer named "${name}" is already running`);
    const consumer = new TrackedConsumer(this, name, await this.registeredCheckpoint(name, options));
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** Stops and forgets a consumer, so retention no longer keeps frames for it. */
  async removeConsumer(name: string): Promise<void> {
    await this.consumers.get(name)?.stop();
    this.consumers.delete(name);
    await this.storage.del(consumerKey(name), true);
  }

  /** The stored checkpoint of `name`, registering the consumer where it starts if it has none. */
  private async registeredCheckpoint(name: string, options: Pick<ConsumerOptions, 'startAt'>): Promise<number> {
    if (!/^[\w.-]{1,100}$/.test(name)) {
      throw new Error(`Consumer name "${name}" must be 1–100 letters, digits, '.', '_' or '-'`);
    }
    let checkpoint = await this.readCheckpoint(name);
    if (checkpoint === undefined) {
      checkpoint = options.startAt === 'latest' ? this.committed : 0;
      await this.storage.put(consumerKey(name), String(checkpoint), this.durability === 'sync');
    }
    return checkpoint;
  }

  /** @internal the consumer's checkpoint store */
  saveCheckpoint(name: string, sequenceId: number): Promise<void> {
    // Unsynced: a lost checkpoint only means a replay, which sinks absorb (idempotent writes);
    // in sync mode the next group commit's fsync persists it anyway.
    return this.storage.put(consumerKey(name), String(sequenceId), false);
  }

  /** @internal */
  forgetConsumer(consumer: DurableConsumer | TrackedConsumer): void {
    if (this.consumers.get(consumer.name) === consumer) this.consumers.delete(consumer.name);
  }

  /** Every registered consumer's checkpoint, running or not. */
  async checkpoints(): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    const cursor = this.storage.cursor(CONSUMER_RANGE);
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        chunk.keys.forEach((key, i) => result.set(consumerName(key), Number(chunk!.values[i]!.toString())));
      }
    } finally {
      await cursor.close();
    }
    // running consumers may be ahead of their last saved checkpoint
    for (const [name, consumer] of this.consumers)
      result.set(name, Math.max(result.get(name) ?? 0, consumer.checkpoint));
    return result;
  }

  /** Runs retention now (it also runs on a timer). */
  applyRetention(): Promise<RetentionReport> {
    return this.retention.run();
  }

  metrics(): WalMetrics {
    return {
      durability: this.durability,
      lastSequenceId: this.appended,
      committedSequenceId: this.committed,
      pendingFrames: this.pendingFrames,
      framesInPerSecond: this.inMeter.perSecond(),
      framesCommittedPerSecond: this.committedMeter.perSecond(),
      framesOutPerSecond: this.outMeter.perSecond(),
      commitLatencyP50Ms: this.commitLatency.percentile(50),
      commitLatencyP99Ms: this.commitLatency.percentile(99),
      sizeBytes: this.retention.sizeBytes,
      maxSizeBytes: this.retention.maxSizeBytes,
      corruptFrames: this.corruptCount,
      droppedFrames: this.retention.droppedFrames,
      batchesWritten: this.batchesWritten,
      writeFailures: this.writeFailures,
      consumers: [...this.consumers.values()].map((consumer) => consumer.metrics()),
    };
  }

  /** Writes what is pending, stops consumers and retention, closes the store. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.retention.stop();
      await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
      // One last attempt after a failure, instead of retrying forever: what cannot be written
      // now was never acknowledged, and its waiters are told so.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      await this.recovering;
      this.write();
      await this.recovering;
      await this.whenDurable(this.appended).catch(() => undefined);
      clearTimeout(this.retryTimer);
      clearTimeout(this.timer);
      this.rejectWaiters(new WalClosedError('The write-ahead log closed before these frames could be written'));
      this.flushCorruptReport();
      await this.storage.close();
    })();
    return this.closing;
  }

  private write(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.open;
    if (this.writing || this.retryTimer || this.recovering || !batch || batch.frames.length === 0) return;
    if (this.storage.needsReopen) {
      this.recover();
      return;
    }
    this.open = undefined;
    this.writing = true;
    const last = batch.frames[batch.frames.length - 1]!.sequenceId;
    let written: Promise<void>;
    try {
      const storageBatch = this.encodeInto(batch);
      storageBatch.put(LAST_SEQUENCE_KEY, String(last));
      written = storageBatch.write(this.durability === 'sync');
    } catch (error) {
      written = Promise.reject(error as Error);
    }
    written.then(
      () => this.committedBatch(batch, last),
      (error: Error) => this.failedBatch(batch, error),
    );
  }

  /**
   * Puts the batch's frames that are not in its storage batch yet into it, as blocks. The
   * encoder writes into one scratch buffer that the block builder copies from, so no frame needs
   * a buffer of its own; after a failure the frames are simply encoded again into a fresh batch.
   */
  private encodeInto(batch: OpenBatch): WalStorageBatch {
    const storageBatch = (batch.storage ??= this.storage.batch());
    const { frames } = batch;
    for (let i = batch.encoded; i < frames.length; i++) {
      const frame = frames[i]!;
      this.blocks.add(storageBatch, frame.sequenceId, encodeFrameView(frame));
    }
    this.blocks.putInto(storageBatch);
    batch.encoded = frames.length;
    return storageBatch;
  }

  private committedBatch(batch: OpenBatch, last: number): void {
    this.writing = false;
    this.consecutiveFailures = 0;
    this.committed = last;
    this.batchesWritten++;
    this.committedMeter.add(batch.frames.length);
    this.commitLatency.add(performance.now() - batch.firstAppendAt);
    while (this.waiters.length > 0 && this.waiters[0]!.sequenceId <= last) this.waiters.shift()!.resolve();
    for (const listener of this.commitListeners) listener();
    // Frames that arrived during the write have waited already: write them at once.
    if (this.open && this.open.frames.length > 0) this.write();
  }

  /**
   * A failed write (disk full, I/O error) keeps its frames in memory, in front of those that
   * arrived meanwhile, and is retried with backoff. Before the retry the store is reopened
   * (write() sees needsReopen): RocksDB may have left a torn record at the end of its log, and a
   * write appended behind it would be lost at the next start (measured: without the reopen,
   * acknowledged frames vanished after a full disk).
   */
  private failedBatch(batch: OpenBatch, error: Error): void {
    this.writing = false;
    this.writeFailures++;
    this.consecutiveFailures++;
    const frames = this.open ? [...batch.frames, ...this.open.frames] : batch.frames;
    this.open = { frames, firstAppendAt: batch.firstAppendAt, encoded: 0 };
    this.blocks.reset(); // held frames of the open batch, which are encoded again
    const now = performance.now();
    if (now - this.lastFailureEventAt >= FAILURE_EVENT_INTERVAL_MS) {
      this.lastFailureEventAt = now;
      this.emit({
        code: 'wal.write_failed',
        severity: 'critical',
        message: `The write-ahead log cannot write to ${this.storage.location} (${error.message}); ${frames.length} frames are waiting in memory and writing is retried`,
        details: { error: error.message, waitingFrames: frames.length, failures: this.writeFailures },
      });
    }
    if (this.closing) {
      this.open = undefined;
      this.rejectWaiters(new Error(`The write-ahead log could not write before closing: ${error.message}`));
      return;
    }
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.consecutiveFailures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.write();
    }, delay);
  }

  private recover(): void {
    const firstAppendAt = this.open?.firstAppendAt ?? performance.now();
    // a storage batch built on the handle that is about to close cannot be written
    if (this.open) this.open = { frames: this.open.frames, firstAppendAt, encoded: 0 };
    this.blocks.reset();
    this.recovering = this.storage.reopen().then(
      () => {
        this.recovering = undefined;
        this.write();
      },
      (error: Error) => {
        this.recovering = undefined;
        this.failedBatch({ frames: [], firstAppendAt, encoded: 0 }, error);
      },
    );
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  /** @internal counts each damaged sequence once and reports them in one event per second. */
  noteCorrupt(sequenceId: number, reason: string): void {
    if (this.corruptSeen.has(sequenceId)) return;
    if (this.corruptSeen.size >= 100_000) this.corruptSeen.clear();
    this.corruptSeen.add(sequenceId);
    this.corruptCount++;
    if (!this.corruptReport) {
      this.corruptReport = { first: sequenceId, last: sequenceId, count: 0, reason };
      setTimeout(() => this.flushCorruptReport(), 1000).unref();
    }
    this.corruptReport.count++;
    this.corruptReport.first = Math.min(this.corruptReport.first, sequenceId);
    this.corruptReport.last = Math.max(this.corruptReport.last, sequenceId);
  }

  private flushCorruptReport(): void {
    const report = this.corruptReport;
    if (!report) return;
    this.corruptReport = undefined;
    this.emit({
      code: 'wal.corrupt_frames',
      severity: 'critical',
      message: `${report.count} damaged frame(s) in the write-ahead log were skipped (sequence ${report.first}–${report.last}): ${report.reason}`,
      details: { count: report.count, firstSequence: report.first, lastSequence: report.last, reason: report.reason },
    });
  }

  private async readCheckpoint(name: string): Promise<number | undefined> {
    const stored = await this.storage.get(consumerKey(name));
    if (stored === undefined) return undefined;
    const value = Number(stored.toString());
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`The checkpoint of consumer "${name}" is damaged ("${stored.toString()}")`);
    }
    return value;
  }
}
