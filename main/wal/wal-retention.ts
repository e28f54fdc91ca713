// Retention: frames older than the retention time (seed: 24 h) are deleted once every durable
// consumer has confirmed them. Unconfirmed frames are kept, however old, until the WAL exceeds
// its size cap (seed: 1 GB); then the oldest frames go, confirmed or not, down to 90 % of the
// cap, and a CRITICAL system event says how many frames each consumer lost. Deletes are range
// deletes, followed by a compaction of that range so that the disk space really comes back. A
// block that straddles the boundary keeps its later frames: they are written again as a block of
// their own (keyed by the first of them) before the range is deleted, so that retention stays
// exact to the frame.
import { nsToMs } from '../frames/frame-clock.ts';
import { decodeEnvelope } from '../frames/frame-envelope.ts';
import { blockTail, firstKeyHolding, walkValue } from './frame-block.ts';
import { parseFrameKey } from '../frames/frame-key.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import type { FrameWal } from './frame-wal.ts';
import { FRAME_RANGE, frameKey } from './wal-keys.ts';
import type { WalStorage } from './wal-storage.ts';

export interface RetentionOptions {
  /** Confirmed frames older than this are deleted (default 24 h). */
  retentionMs: number;
  /** Above this the oldest frames are deleted even if unconfirmed (default 1 GiB). */
  maxSizeBytes: number;
  /** How often retention runs (default 10 s; 0 turns the timer off). */
  intervalMs: number;
}

export interface RetentionReport {
  /** Frames deleted in this run (by time or by the size cap). */
  deletedFrames: number;
  /** Of those, frames some durable consumer had not yet confirmed (size cap only). */
  droppedFrames: number;
  /** The oldest sequence id still kept, or undefined when the WAL is empty. */
  firstSequenceId: number | undefined;
  sizeBytes: number;
}

export const DEFAULT_RETENTION: RetentionOptions = {
  retentionMs: 24 * 60 * 60 * 1000,
  maxSizeBytes: 1024 * 1024 * 1024,
  intervalMs: 10_000,
};

/** After exceeding the cap, delete down to this share of it, so that the cap is not hit again at once. */
const CAP_TARGET = 0.9;

export class WalRetention {
  readonly maxSizeBytes: number;
  sizeBytes = 0;
  droppedFrames = 0;
  private readonly options: RetentionOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;

  constructor(
    private readonly wal: FrameWal,
    private readonly storage: WalStorage,
    options: Partial<RetentionOptions>,
    private readonly emit: (event: SystemEventInput) => void,
  ) {
    this.options = { ...DEFAULT_RETENTION, ...options };
    this.maxSizeBytes = this.options.maxSizeBytes;
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    const pass = () => void this.run().catch((error: Error) => console.error('WAL retention failed:', error));
    this.timer = setInterval(pass, this.options.intervalMs);
    this.timer.unref();
    pass(); // at once too: the size on the system screen, and what expired while the app was off
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One retention pass; concurrent calls share it. */
  run(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionReport> {
    this.sizeBytes = await this.storage.diskSize();
    const committed = this.wal.committedSequenceId;
    const first = await this.firstSequenceId();
    const report: RetentionReport = {
      deletedFrames: 0,
      droppedFrames: 0,
      firstSequenceId: first,
      sizeBytes: this.sizeBytes,
    };
    if (first === undefined || first > committed) return report;

    const checkpoints = await this.wal.checkpoints();
    const confirmedByAll = checkpoints.size > 0 ? Math.min(...checkpoints.values()) : committed;
    const expired = await this.lastSequenceBefore(this.wal.now() - this.options.retentionMs, first, committed);
    let through = Math.min(expired, confirmedByAll, committed);

    if (this.sizeBytes > this.maxSizeBytes) {
      const bytesPerFrame = this.sizeBytes / (committed - first + 1);
      const excessFrames = Math.ceil((this.sizeBytes - this.maxSizeBytes * CAP_TARGET) / bytesPerFrame);
      through = Math.max(through, Math.min(committed, first - 1 + excessFrames));
    }
    if (through < first) return report;

    await this.keepTailAfter(through);
    await this.storage.clearRange({ gte: frameKey(first), lt: frameKey(through + 1) });
    await this.storage.compactRange(frameKey(first), frameKey(through + 1));
    report.deletedFrames = through - first + 1;
    report.firstSequenceId = through < committed ? through + 1 : undefined;

    const losses = [...checkpoints]
      .map(([name, checkpoint]) => ({ name, lost: through - Math.max(checkpoint, first - 1) }))
      .filter((loss) => loss.lost > 0);
    if (losses.length > 0) {
      report.droppedFrames = Math.max(...losses.map((loss) => loss.lost));
      this.droppedFrames += report.droppedFrames;
      const capMb = Math.round(this.maxSizeBytes / (1024 * 1024));
      this.emit({
        code: 'wal.size_cap_drop',
        severity: 'critical',
        message:
          `The write-ahead log reached its size cap of ${capMb} MB: ${report.droppedFrames} frames were deleted ` +
          `before ${losses.map((loss) => `${loss.name} (${loss.lost})`).join(', ')} had stored them`,
        details: {
          droppedFrames: report.droppedFrames,
          firstSequence: first,
          lastSequence: through,
          sizeBytes: this.sizeBytes,
          maxSizeBytes: this.maxSizeBytes,
          ...Object.fromEntries(losses.map((loss) => [`lost.${loss.name}`, loss.lost])),
        },
      });
    }
    this.sizeBytes = await this.storage.diskSize();
    report.sizeBytes = this.sizeBytes;
    return report;
  }

  private async firstSequenceId(): Promise<number | undefined> {
    const cursor = this.storage.cursor({ ...FRAME_RANGE, limit: 1 });
    try {
      const key = (await cursor.next())?.keys[0];
      return key === undefined ? undefined : parseFrameKey(key);
    } finally {
      await cursor.close();
    }
  }

  /**
   * Rewrites the frames after `through` of the block that holds `through` (if it holds more) under
   * their own key, before the range up to `through` is deleted. A crash in between leaves both
   * copies; readers skip frames they have read already.
   */
  private async keepTailAfter(through: number): Promise<void> {
    const cursor = this.storage.cursor({ gte: frameKey(firstKeyHolding(through)), lte: frameKey(through) });
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (let i = 0; i < chunk.keys.length; i++) {
          const first = parseFrameKey(chunk.keys[i]!);
          const tail = first === undefined ? undefined : blockTail(first, chunk.values[i]!, through);
          if (tail) await this.storage.put(frameKey(through + 1), tail, true);
        }
      }
    } finally {
      await cursor.close();
    }
  }

  /** The first frame at or after `sequenceId`, with its time in ms; damaged entries are stepped over. */
  private async probe(sequenceId: number, last: number): Promise<{ sequenceId: number; ms: number } | undefined> {
    const cursor = this.storage.cursor({ gte: frameKey(firstKeyHolding(sequenceId)), lte: frameKey(last), limit: 80 });
    try {
      for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
        for (let i = 0; i < chunk.keys.length; i++) {
          const first = parseFrameKey(chunk.keys[i]!);
          if (first === undefined) continue;
          let found: { sequenceId: number; ms: number } | undefined;
          const value = chunk.values[i]!;
          walkValue(first, value, (seq, start, end) => {
            if (seq < sequenceId) return false;
            try {
              found = { sequenceId: seq, ms: nsToMs(decodeEnvelope(value, start, end).timestamp) };
              return true;
            } catch {
              return false; // a damaged envelope has no trustworthy time: look at the next one
            }
          });
          if (found) return found;
        }
      }
      return undefined;
    } finally {
      await cursor.close();
    }
  }

  /**
   * The highest sequence id whose frame is older than `cutoffMs` (first - 1 when none), by
   * binary search over sequence ids: frame times rise with sequence ids, and a search costs a
   * few dozen point reads instead of a scan of millions of frames.
   */
  private async lastSequenceBefore(cutoffMs: number, first: number, last: number): Promise<number> {
    const oldest = await this.probe(first, last);
    if (!oldest || oldest.ms >= cutoffMs) return first - 1;
    let lo = oldest.sequenceId;
    let hi = last;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const found = await this.probe(mid, hi);
      if (!found || found.ms >= cutoffMs) hi = mid - 1;
      else lo = Math.min(found.sequenceId, hi);
    }
    return lo;
  }
}
