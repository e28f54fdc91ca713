// Reads frames from the WAL in sequence order, verifying each one. A damaged entry is reported
// and skipped, never thrown: a bad checksum or malformed protobuf (the value is readable but
// wrong), and also a RocksDB "Corruption" error (a damaged table block that RocksDB's own block
// checksum refuses), after which the cursor steps over the unreadable keys one by one.
import { decodeFrame } from '../frames/frame-codec.ts';
import { parseFrameKey } from '../frames/frame-key.ts';
import type { Frame, FrameTypeName } from '../frames/frame.ts';
import { frameKey } from './wal-keys.ts';
import type { StorageCursor, WalStorage } from './wal-storage.ts';

export interface FrameChunk {
  frames: Frame[];
  /** The highest sequence id this chunk covered, skipped and corrupt entries included. */
  lastSequenceId: number;
}

export type CorruptFrameReporter = (sequenceId: number, reason: string) => void;

/** After a damaged block, the cursor reads key by key until this many in a row are readable. */
const READABLE_RUN_TO_RESUME = 64;

function isStorageCorruption(error: unknown): boolean {
  return error instanceof Error && /corruption/i.test(error.message);
}

export class FrameCursor {
  private cursor: StorageCursor | undefined;
  private position: number;

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
      this.cursor ??= this.storage.cursor({ gt: frameKey(this.position), lte: frameKey(this.throughSequenceId) });
      let chunk;
      try {
        chunk = await this.cursor.next();
      } catch (error) {
        if (!isStorageCorruption(error)) throw error;
        return this.readPastUnreadable((error as Error).message);
      }
      if (chunk === undefined) {
        this.position = this.throughSequenceId;
        return undefined;
      }
      const frames: Frame[] = [];
      const { keys, values } = chunk;
      for (let i = 0; i < values.length; i++) {
        try {
          const frame = decodeFrame(values[i]!, this.wanted);
          if (frame !== undefined) frames.push(frame);
        } catch (error) {
          this.reportCorrupt(parseFrameKey(keys[i]!) ?? -1, (error as Error).message);
        }
      }
      this.position = parseFrameKey(keys[keys.length - 1]!) ?? this.position;
      return { frames, lastSequenceId: this.position };
    }
  }

  async close(): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    this.position = this.throughSequenceId;
    await cursor?.close().catch(() => undefined);
  }

  /**
   * Steps over a damaged stretch with point reads (the iterator cannot move past it), keeping
   * the frames that are readable, until a run of readable keys shows the damage is behind us.
   */
  private async readPastUnreadable(reason: string): Promise<FrameChunk> {
    await this.cursor?.close().catch(() => undefined);
    this.cursor = undefined;
    const frames: Frame[] = [];
    let readableRun = 0;
    while (this.position < this.throughSequenceId && readableRun < READABLE_RUN_TO_RESUME) {
      const sequenceId = this.position + 1;
      let value;
      try {
        value = await this.storage.get(frameKey(sequenceId));
      } catch (error) {
        if (!isStorageCorruption(error)) throw error;
        this.reportCorrupt(sequenceId, `unreadable in storage (${reason})`);
        readableRun = 0;
        this.position = sequenceId;
        continue;
      }
      readableRun++;
      this.position = sequenceId;
      if (value === undefined) continue;
      try {
        const frame = decodeFrame(value, this.wanted);
        if (frame !== undefined) frames.push(frame);
      } catch (error) {
        this.reportCorrupt(sequenceId, (error as Error).message);
      }
    }
    return { frames, lastSequenceId: this.position };
  }
}
