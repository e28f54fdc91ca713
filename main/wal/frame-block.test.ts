import { describe, expect, it } from 'vitest';
import { FrameBlock } from '../../proto/generated/frame.ts';
import { dataBody } from '../../test/frame-fixtures.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { nowNs } from '../frames/frame-clock.ts';
import { decodeEnvelope } from '../frames/frame-envelope.ts';
import { encodeFrame } from '../frames/frame-codec.ts';
import { frameKey, parseFrameKey } from '../frames/frame-key.ts';
import type { Frame } from '../frames/frame.ts';
import { blockTail, FrameBlockBuilder, walkValue } from './frame-block.ts';
import { openRocksDbStorage } from './rocksdb-storage.ts';
import { LAST_SEQUENCE_KEY } from './wal-keys.ts';
import type { WalStorageBatch } from './wal-storage.ts';

const folder = useWalFolder('gw-wal-block-');

function frame(sequenceId: number): Frame {
  return { ...dataBody(`tag-${sequenceId % 7}`, sequenceId), sequenceId, timestamp: nowNs() } as Frame;
}

/** A storage batch that keeps what is put into it (copies, as RocksDB's does). */
function recordingBatch(): WalStorageBatch & { entries: [number, Buffer][] } {
  const entries: [number, Buffer][] = [];
  return {
    entries,
    put: (key, value) => void entries.push([parseFrameKey(key as Uint8Array)!, Buffer.from(value)]),
    write: () => Promise.resolve(),
  };
}

function framesOf(first: number, value: Uint8Array): number[] {
  const seen: number[] = [];
  walkValue(first, value, (seq, start, end) => void seen.push(seq, decodeEnvelope(value, start, end).sequenceId));
  return seen;
}

describe('frame blocks', () => {
  it('are FrameBlock messages of frame.proto, one per run of up to 64 consecutive frames', () => {
    const batch = recordingBatch();
    const builder = new FrameBlockBuilder();
    const sequences = [...Array.from({ length: 100 }, (_, i) => i + 1), 150, 151, 152];
    for (const seq of sequences) builder.add(batch, seq, encodeFrame(frame(seq)));
    // full at 64: 1…64 put at once; the jump to 150 put 65…100; 150…152 wait for putInto
    expect(batch.entries.map(([key]) => key)).toEqual([1, 65]);
    expect(builder.size).toBe(3);
    builder.putInto(batch);
    expect(batch.entries.map(([key]) => key)).toEqual([1, 65, 150]);
    for (const [first, value] of batch.entries) {
      // byte for byte what ts-proto's generated FrameBlock codec reads
      const decoded = FrameBlock.decode(value);
      expect(decoded.frames.map((f) => f.sequenceId)).toEqual(framesOf(first, value).filter((_, i) => i % 2 === 1));
      expect(Buffer.from(FrameBlock.encode(decoded).finish())).toEqual(value);
    }
    expect(framesOf(65, batch.entries[1]![1]).slice(-2)).toEqual([100, 100]);
  });

  it('walks a bare envelope (written by earlier versions) as a block of one', () => {
    const value = encodeFrame(frame(42));
    expect(framesOf(42, value)).toEqual([42, 42]);
    expect(walkValue(42, value, () => undefined)).toEqual({ last: 42, broken: false });
  });

  it('reports a block whose framing breaks off, and keeps the tail of a block', () => {
    const batch = recordingBatch();
    const builder = new FrameBlockBuilder();
    for (let seq = 10; seq < 20; seq++) builder.add(batch, seq, encodeFrame(frame(seq)));
    builder.putInto(batch);
    const value = batch.entries[0]![1];
    expect(walkValue(10, value.subarray(0, value.length - 5), () => undefined)).toEqual({ last: 18, broken: true });
    const tail = blockTail(10, value, 14)!;
    expect(framesOf(15, tail).filter((_, i) => i % 2 === 1)).toEqual([15, 16, 17, 18, 19]);
    expect(blockTail(10, value, 19)).toBeUndefined();
  });
});

describe('WAL over old single-frame values', () => {
  it('reads them beside blocks, continues their sequence and keeps retention exact', async () => {
    // a WAL as earlier versions wrote it: one bare envelope per key
    const storage = await openRocksDbStorage(folder.dir);
    const old = Array.from({ length: 100 }, (_, i) => frame(i + 1));
    for (const f of old) await storage.put(frameKey(f.sequenceId), encodeFrame(f), true);
    await storage.close();

    let clockOffset = 0;
    const wal = await folder.open({ now: () => Date.now() + clockOffset });
    expect(wal.lastSequenceId).toBe(100);
    const fresh = Array.from({ length: 200 }, (_, i) => frame(i + 101));
    for (const f of fresh) wal.append(f);
    await wal.flush();
    expect((await wal.read(0, 10_000)).frames).toEqual([...old, ...fresh]);
    expect((await wal.read(90, 20)).frames.map((f) => f.sequenceId)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 91),
    );

    // A consumer that confirmed up to the middle of a block (101…164): retention, 25 h later,
    // deletes exactly that far and keeps the rest of the block.
    let calls = 0;
    const consumer = await wal.consume(
      'historian',
      async () => {
        if (++calls > 1) await new Promise(() => undefined); // confirms 1…150, then hangs
      },
      { batchSize: 150, stopTimeoutMs: 10 },
    );
    while (consumer.checkpoint < 150) await new Promise((resolve) => setTimeout(resolve, 5));
    clockOffset = 25 * 3_600_000;
    expect(await wal.applyRetention()).toMatchObject({ deletedFrames: 150, droppedFrames: 0, firstSequenceId: 151 });
    expect((await wal.read(0, 10_000)).frames).toEqual(fresh.slice(50));
    expect((await wal.read(155, 3)).frames.map((f) => f.sequenceId)).toEqual([156, 157, 158]);
    await wal.close();
    // without the stored last sequence: it comes from the newest block's last frame
    const bare = await openRocksDbStorage(folder.dir);
    await bare.del(LAST_SEQUENCE_KEY, true);
    await bare.close();
    const reopened = await folder.open();
    expect(reopened.lastSequenceId).toBe(300);
    expect((await reopened.read(0, 10_000)).frames).toHaveLength(150);
  });
});
