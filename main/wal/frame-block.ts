// WAL values that hold a run of frames. RocksDB's npm binding hands every entry it reads to
// JavaScript as a fresh Buffer and key string (~3 µs of CPU per entry, measured here), and its
// write path pays a memtable insert per key: at a million frames that per-entry cost alone was
// more than the 3 s a replay may take. So the WAL stores up to FRAMES_PER_BLOCK consecutive
// frames in one value, a FrameBlock (proto/frame.proto), under the key of its first frame,
// `frame:{first sequence:020}`: keys still sort in sequence order and still name a frame.
//
// Each frame keeps its own envelope and checksum, so a damaged frame costs that frame alone; a
// damaged length prefix costs the rest of its block (at most FRAMES_PER_BLOCK − 1 frames), about
// what a damaged 4 KB RocksDB table block costs either way. Values written by earlier versions
// (one bare FrameEnvelope per key, first byte 0x08) are read as blocks of one.
import { frameKeyBytes } from '../frames/frame-key.ts';
import type { WalStorageBatch } from './wal-storage.ts';

/**
 * The most frames one value holds. Part of the storage format: a reader looks for the value that
 * holds frame `s` among the keys from `s − FRAMES_PER_BLOCK + 1` on.
 */
export const FRAMES_PER_BLOCK = 64;

/** FrameBlock.frames: field 1, length-delimited. A bare envelope starts with 0x08 (sequence_id). */
const TAG_FRAME = 0x0a;

export function isFrameBlock(value: Uint8Array): boolean {
  return value.length > 0 && value[0] === TAG_FRAME;
}

/** The first sequence id a value holding frame `sequenceId` can start at. */
export function firstKeyHolding(sequenceId: number): number {
  return Math.max(0, sequenceId - (FRAMES_PER_BLOCK - 1));
}

/**
 * Collects encoded frames into block values and puts each into a storage batch once it is full,
 * the sequence jumps, or the batch is about to be written (putInto).
 */
export class FrameBlockBuilder {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;
  private first = 0;
  private count = 0;

  /** Frames collected and not yet put into a batch. */
  get size(): number {
    return this.count;
  }

  /** Adds a frame's stored bytes (copied at once: the caller may reuse them). */
  add(batch: WalStorageBatch, sequenceId: number, envelope: Uint8Array): void {
    if (this.count > 0 && sequenceId !== this.first + this.count) this.putInto(batch);
    const needed = this.pos + 6 + envelope.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.pos);
      this.buffer = grown;
    }
    const buf = this.buffer;
    let pos = this.pos;
    buf[pos++] = TAG_FRAME;
    let length = envelope.length;
    while (length >= 0x80) {
      buf[pos++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    buf[pos++] = length;
    buf.set(envelope, pos);
    this.pos = pos + envelope.length;
    if (this.count === 0) this.first = sequenceId;
    if (++this.count >= FRAMES_PER_BLOCK) this.putInto(batch);
  }

  /** Puts the frames collected so far into `batch` as one value (the batch copies it). */
  putInto(batch: WalStorageBatch): void {
    if (this.count === 0) return;
    batch.put(frameKeyBytes(this.first), this.buffer.subarray(0, this.pos));
    this.reset();
  }

  /** Forgets the collected frames (their batch was abandoned; they will be added again). */
  reset(): void {
    this.pos = 0;
    this.count = 0;
    this.first = 0;
  }
}

/**
 * Called for each frame of a value with the byte range of its envelope in the value,
 * [start, end), and the offset where the frame starts (its tag); returning true stops the walk.
 * Ranges, not views: a Uint8Array view per frame cost ~0.1 µs of CPU, a twentieth of a replay.
 */
export type FrameVisitor = (sequenceId: number, start: number, end: number, offset: number) => boolean | void;

export interface WalkedValue {
  /** The sequence id of the last frame visited (first − 1 when none). */
  last: number;
  /** True when the block's framing ends early: the frame after `last` and the rest are unreadable. */
  broken: boolean;
}

/**
 * Visits the frames of a stored value whose key names `first`: a block's frames as first,
 * first + 1, … or a bare envelope as `first`. Only the framing is read here; each envelope still
 * has to be decoded and verified (decodeFrame).
 */
export function walkValue(first: number, value: Uint8Array, visit: FrameVisitor): WalkedValue {
  if (!isFrameBlock(value)) {
    visit(first, 0, value.length, 0);
    return { last: first, broken: false };
  }
  const end = value.length;
  let pos = 0;
  let index = 0;
  while (pos < end) {
    if (value[pos] !== TAG_FRAME || index >= FRAMES_PER_BLOCK) return { last: first + index - 1, broken: true };
    const offset = pos++;
    let length = 0;
    let shift = 0;
    let byte = 0x80;
    while (byte & 0x80) {
      if (pos >= end || shift > 28) return { last: first + index - 1, broken: true };
      byte = value[pos++]!;
      length += (byte & 0x7f) * (1 << shift);
      shift += 7;
    }
    if (pos + length > end) return { last: first + index - 1, broken: true };
    const stop = visit(first + index, pos, pos + length, offset);
    pos += length;
    index++;
    if (stop === true) return { last: first + index - 1, broken: false };
  }
  return { last: first + index - 1, broken: false };
}

/**
 * The frames of `value` (key `first`) after `after`, as a block value of their own, or undefined
 * when none follow it. Retention keeps the unexpired part of a block under the key `after + 1`.
 */
export function blockTail(first: number, value: Uint8Array, after: number): Buffer | undefined {
  if (!isFrameBlock(value) || after < first) return undefined;
  let start = -1;
  walkValue(first, value, (sequenceId, _start, _end, offset) => {
    if (sequenceId <= after) return false;
    start = offset;
    return true;
  });
  return start < 0 ? undefined : Buffer.from(value.subarray(start));
}
