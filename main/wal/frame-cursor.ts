// Reads frames from the WAL in sequence order, verifying each one. A damaged entry is reported
// and skipped, never thrown: a bad checksum or malformed protobuf (the value is readable but
// wrong), a block whose framing breaks off (its remaining frames are lost), and also a RocksDB
// "Corruption" error (a damaged table block that RocksDB's own block checksum refuses), after
// which the cursor steps over the unreadable keys one by one.
import { CorruptFrameError, decodeFrame } from '../frames/frame-codec.ts';
import { parseFrameKey } from '../frames/frame-key.ts';
import type { Frame, FrameTypeName } from '../frames/frame.ts';
import { FRAMES_PER_BLOCK, firstKeyHolding, walkValue } from './frame-block.ts';
import { frameKey } from './wal-keys.ts';
import { isStorageCorruption, type StorageCursor, type WalStorage } from './wal-storage.ts';

export interface FrameChunk {
  frames: Frame[];
  /** The highest sequence id this chunk covered, skipped and corrupt entries included. */
  lastSequenceId: number;
}

export type CorruptFrameReporter = (sequenceId: number, reason: string) => void;

/** After a damaged block, the cursor reads key by key until this many in a row are readable. */
const READABLE_RUN_TO_RESUME = 64;

export class FrameCursor {
  private cursor: StorageCursor | undefined;
  /** The last sequence id read (or skipped as damaged). */
  private position: number;
  /** Frames after `position` up to this one were in a value that could not be read whole. */
  private lostThrough = 0;
  private lostReason = '';

  /** Reads frames with afterSequenceId < sequence ≤ throughSequenceId. */
  constructor(
    private readonly storage: WalStorage,
    afterSequenceId: number,
    private readonly throughSequenceId: number,
    private readonly reportCorrupt: CorruptFrameReporter,
    private readonly wanted?: ReadonlySet<FrameTypeName>,
  ) {
    this.position = afterSequenceId;
  }

  /** The next run of frames, or undefined once the range is read. */
  async next(): Promise<FrameChunk | undefined> {
    for (;;) {
      if (this.position >= this.throughSequenceId) return undefined;
      // from the first key whose value can hold the next frame
      this.cursor ??= this.storage.cursor({
        gte: frameKey(firstKeyHolding(this.position + 1)),
        lte: frameKey(this.throughSequenceId),
      });
      let chunk;
      try {
        chunk = await this.cursor.next();
      } catch (error) {
        if (!isStorageCorruption(error)) throw error;
        return this.readPastUnreadable((error as Error).message);
      }
      if (chunk === undefined) {
        // The rest of the range holds nothing readable (lost frames of a damaged block, deleted
        // frames): covered all the same, so that a consumer's checkpoint moves past it.
        this.reportLost(this.throughSequenceId);
        this.position = this.throughSequenceId;
        return { frames: [], lastSequenceId: this.position };
      }
      const frames: Frame[] = [];
      const { keys, values } = chunk;
      for (let i = 0; i < values.length; i++) {
        const first = parseFrameKey(keys[i]!);
        if (first !== undefined) this.readValue(first, values[i]!, frames);
      }
      return { frames, lastSequenceId: this.position };
    }
  }

  async close(): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    this.position = this.throughSequenceId;
    await cursor?.close().catch(() => undefined);
  }

  /** Decodes the frames of one stored value that lie after the position, in order. */
  private readValue(first: number, value: Buffer, frames: Frame[]): void {
    if (first > this.position) {
      this.reportLost(first - 1);
      this.lostThrough = 0;
    }
    const { last, broken } = walkValue(first, value, (sequenceId, start, end) => {
      // A value may start before the position (the window above, or a block that retention
      // rewrote): its earlier frames were read already.
      if (sequenceId <= this.position) return false;
      if (sequenceId > this.throughSequenceId) return true;
      this.position = sequenceId;
      try {
        const frame = decodeFrame(value, this.wanted, start, end);
        if (frame === undefined) return false;
        if (frame.sequenceId !== sequenceId) {
          throw new CorruptFrameError(`it holds sequence ${frame.sequenceId} where ${sequenceId} belongs`);
        }
        frames.push(frame);
      } catch (error) {
        this.reportCorrupt(sequenceId, (error as Error).message);
      }
      return false;
    });
    if (broken && first + FRAMES_PER_BLOCK - 1 > this.position) {
      // the rest of this block (after `last`) cannot be framed: its frames, up to the next value,
      // are lost
      this.noteLost(first + FRAMES_PER_BLOCK - 1, `frame block ${first} breaks off after frame ${last}`);
    }
  }

  private noteLost(through: number, reason: string): void {
    if (through <= this.lostThrough) return;
    this.lostThrough = through;
    this.lostReason = reason;
  }

  /** Reports the frames after the position up to `through` that a damaged value held. */
  private reportLost(through: number): void {
    const end = Math.min(through, this.lostThrough, this.throughSequenceId);
    for (let sequenceId = this.position + 1; sequenceId <= end; sequenceId++) {
      this.reportCorrupt(sequenceId, this.lostReason);
      this.position = sequenceId;
    }
  }

  /**
   * Steps over a damaged stretch with point reads (the iterator cannot move past it), keeping
   * the frames that are readable, until a run of readable keys shows the damage is behind us.
   * It starts at the first key that can hold the next frame, as next() does: the value holding
   * it may begin before the position.
   */
  private async readPastUnreadable(reason: string): Promise<FrameChunk> {
    await this.cursor?.close().catch(() => undefined);
    this.cursor = undefined;
    const frames: Frame[] = [];
    const unreadable = `unreadable in storage (${reason})`;
    let readableRun = 0;
    for (
      let sequenceId = firstKeyHolding(this.position + 1);
      sequenceId <= this.throughSequenceId &&
      this.position < this.throughSequenceId &&
      readableRun < READABLE_RUN_TO_RESUME;
      sequenceId = Math.max(sequenceId + 1, this.position + 1)
    ) {
      let value;
      try {
        value = await this.storage.get(frameKey(sequenceId));
      } catch (error) {
        if (!isStorageCorruption(error)) throw error;
        // a damaged key: the value there held up to FRAMES_PER_BLOCK frames
        readableRun = 0;
        this.noteLost(sequenceId + FRAMES_PER_BLOCK - 1, unreadable);
        if (sequenceId > this.position) this.reportLost(sequenceId);
        continue;
      }
      readableRun++;
      if (value !== undefined) this.readValue(sequenceId, value, frames);
      else if (sequenceId > this.position) {
        // no key here: a frame of the damaged value before it, or a gap in the sequence
        this.reportLost(sequenceId);
        this.position = sequenceId;
      }
    }
    return { frames, lastSequenceId: this.position };
  }
}
