// Damaged entries must be skipped, counted and reported, never crash the reader and never stop
// a durable consumer: values altered under their key (bit rot above RocksDB, a bad write: a
// frame's envelope, or a block's framing) and bytes flipped inside RocksDB's table files on disk
// (which RocksDB's own block checksums catch).
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWal, publishTestFrames, tempDir } from '../../test/frame-fixtures.ts';
import { until } from '../../test/wait.ts';
import { frameKey, parseFrameKey } from '../frames/frame-key.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { firstKeyHolding, walkValue } from './frame-block.ts';
import { openRocksDbStorage } from './rocksdb-storage.ts';
import { checkTableFiles } from './sst-check.ts';
import { readTableLayout, type TableLayout } from './sst-layout.ts';
import type { WalStorage } from './wal-storage.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  folder = await tempDir('gw-wal-corrupt-');
});
afterEach(async () => {
  await folder.remove();
});

async function writeFrames(count: number): Promise<void> {
  const wal = await openTestWal(folder.dir);
  await publishTestFrames(wal, count);
  await wal.close();
}

/** Where frame `seq` sits in the stored values: its value's key and the envelope's byte range. */
async function locate(
  storage: WalStorage,
  seq: number,
): Promise<{ key: string; value: Buffer; offset: number; start: number; end: number; blockEnd: number }> {
  const cursor = storage.cursor({ gte: frameKey(firstKeyHolding(seq)), lte: frameKey(seq) });
  try {
    for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) {
      for (const [i, key] of chunk.keys.entries()) {
        const value = chunk.values[i]!;
        let found: { offset: number; start: number; end: number } | undefined;
        const { last } = walkValue(parseFrameKey(key)!, value, (s, start, end, offset) => {
          if (s === seq) found = { offset, start, end };
        });
        if (found) return { key, value: Buffer.from(value), blockEnd: last, ...found };
      }
    }
  } finally {
    await cursor.close();
  }
  throw new Error(`frame ${seq} is not stored`);
}

/** The biggest table file after moving every frame into table files, and its layout. */
async function compactedTable(minBlocks = 100): Promise<{ file: string; layout: TableLayout }> {
  const storage = await openRocksDbStorage(folder.dir);
  await storage.compactRange('consumer:', 'meta;'); // checkpoints, frames, the last sequence id
  await storage.close();
  const tables = await Promise.all(
    (await readdir(folder.dir))
      .filter((name) => name.endsWith('.sst'))
      .map(async (name) => ({ name, size: (await stat(path.join(folder.dir, name))).size })),
  );
  const file = path.join(folder.dir, tables.sort((a, b) => b.size - a.size)[0]!.name);
  const layout = readTableLayout(await readFile(file));
  expect(layout.dataBlocks.length).toBeGreaterThanOrEqual(minBlocks);
  return { file, layout };
}

async function damage(file: string, at: number, garbage: Buffer): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.write(garbage, 0, garbage.length, at);
  await handle.close();
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('WAL corruption', () => {
  it('skips, counts and reports damaged frames and blocks; consumers get every intact frame', async () => {
    await writeFrames(2000);
    const storage = await openRocksDbStorage(folder.dir);
    const lost = new Set<number>();
    // the checksum itself (the envelope's last byte)
    let at = await locate(storage, 3);
    at.value[at.end - 1]! ^= 0x01;
    await storage.put(at.key, at.value, true);
    lost.add(3);
    // random bits inside two envelopes
    for (const seq of [1234, 1999]) {
      at = await locate(storage, seq);
      at.value[at.start + Math.floor(Math.random() * (at.end - at.start))]! ^= 1 << Math.floor(Math.random() * 8);
      await storage.put(at.key, at.value, true);
      lost.add(seq);
    }
    // a block cut off inside a frame: that frame and the rest of its block are lost
    at = await locate(storage, 500);
    await storage.put(at.key, at.value.subarray(0, at.start + 10), true);
    for (const seq of range(500, at.blockEnd)) lost.add(seq);
    // a damaged frame tag: the block cannot be framed from there on
    at = await locate(storage, 700);
    at.value[at.offset] = 0;
    await storage.put(at.key, at.value, true);
    for (const seq of range(700, at.blockEnd)) lost.add(seq);
    await storage.put(frameKey(2001), 'garbage that is not protobuf', true); // past the end, too
    await storage.close();

    const events: SystemEventInput[] = [];
    const wal = await openTestWal(folder.dir, { onEvent: (event) => events.push(event) });
    expect(wal.lastSequenceId).toBe(2001);
    const received: number[] = [];
    const consumer = await wal.consume(
      'historian',
      async (frames) => void received.push(...frames.map((f) => f.sequenceId)),
    );
    await until(() => consumer.checkpoint === 2001);
    const expected = range(1, 2000).filter((seq) => !lost.has(seq));
    expect(received).toEqual(expected);
    expect(wal.metrics().corruptFrames).toBe(lost.size + 1);

    // a second reader counts nothing twice, also when it starts inside a damaged block
    const again = await wal.read(0, 5000);
    expect(again.frames).toHaveLength(expected.length);
    expect((await wal.read(501, 5000)).frames.map((f) => f.sequenceId)).toEqual(expected.filter((seq) => seq > 501));
    expect(wal.metrics().corruptFrames).toBe(lost.size + 1);

    await wal.close(); // flushes the pending report
    const report = events.find((event) => event.code === 'wal.corrupt_frames');
    expect(report).toMatchObject({
      severity: 'critical',
      details: { count: lost.size + 1, firstSequence: 3, lastSequence: 2001 },
    });
    expect(report!.message).toMatch(new RegExp(`${lost.size + 1} damaged frame\\(s\\).*skipped`));
  });

  it('steps over table blocks that RocksDB itself refuses as corrupt', async () => {
    await writeFrames(20_000);
    // 64 bytes of garbage across the end of a data block a third into the biggest table: its
    // compression-type byte among them, which used to abort the process (sst-check.ts)
    const { file, layout } = await compactedTable();
    const block = layout.dataBlocks[Math.floor(layout.dataBlocks.length / 3)]!;
    await damage(file, block.offset + block.size - 32, Buffer.alloc(64, 0x5a));

    const events: SystemEventInput[] = [];
    const wal = await openTestWal(folder.dir, { onEvent: (event) => events.push(event) });
    const received: number[] = [];
    const consumer = await wal.consume(
      'historian',
      async (frames) => void received.push(...frames.map((f) => f.sequenceId)),
    );
    await until(() => consumer.checkpoint === 20_000);
    const lost = wal.metrics().corruptFrames;
    // two damaged table blocks (this one and the start of the next): a few values of up to 64
    // frames, not thousands
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(500);
    expect(received.length + lost).toBe(20_000);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    await wal.close();
    expect(events.find((event) => event.code === 'wal.damaged_table')).toMatchObject({
      severity: 'critical',
      details: { file: path.basename(file), damagedBlocks: 2 },
    });
    expect(events.find((event) => event.code === 'wal.corrupt_frames')?.message).toMatch(/unreadable in storage/);
  });

  it('never aborts on a damaged compression-type byte, and keeps every frame of the intact blocks', async () => {
    await writeFrames(20_000);
    const { file, layout } = await compactedTable();
    // The byte after a data block names its compression; an unknown one made RocksDB abort the
    // whole process (an assert in CompressionTypeToString) as soon as an iterator read the block.
    // Every third block here, each a place that aborted before, with readable blocks between.
    const damaged = layout.dataBlocks.filter((_block, i) => i % 3 === 1);
    for (const block of damaged) await damage(file, block.offset + block.size, Buffer.from([0x5a]));

    const wal = await openTestWal(folder.dir);
    const { frames } = await wal.read(0, 30_000);
    const lost = wal.metrics().corruptFrames;
    expect(frames.length).toBeGreaterThan(10_000);
    expect(frames.length + lost).toBe(20_000);
    // what is read is what was written, in order
    expect(frames.every((frame, i) => i === 0 || frame.sequenceId > frames[i - 1]!.sequenceId)).toBe(true);
    for (const frame of frames) {
      expect(frame.payload).toMatchObject({ value: { kind: { value: frame.sequenceId } } });
    }
    await wal.close();
    expect((await checkTableFiles(folder.dir)).map((table) => table.damagedBlocks)).toEqual([damaged.length]);
  });

  it('opens, and numbers on, when the last block of a table is refused', async () => {
    await writeFrames(20_000);
    const { file, layout } = await compactedTable();
    await writeFrames(100); // 20001-20100, in newer files: the stored last sequence id too
    // The table's last block holds its newest frames, which the WAL reads at open to find the
    // last sequence id (the merged reverse read passes through every table's newest block).
    const block = layout.dataBlocks.at(-1)!;
    await damage(file, block.offset + block.size, Buffer.from([0x5a]));

    const wal = await openTestWal(folder.dir);
    expect(wal.lastSequenceId).toBe(20_100);
    const { frames, lastSequenceId } = await wal.read(0, 30_000);
    expect(lastSequenceId).toBe(20_100);
    expect(frames.length + wal.metrics().corruptFrames).toBe(20_100);
    expect(frames.at(-1)!.sequenceId).toBe(20_100);
    expect(wal.metrics().corruptFrames).toBeGreaterThan(0);
    await wal.close();
  });

  it('refuses a table whose metaindex is damaged as a whole, and carries on', async () => {
    await writeFrames(2000);
    const { file, layout } = await compactedTable(10);
    await writeFrames(100); // 2001-2100, in newer files: the stored last sequence id too
    // RocksDB parses the metaindex unchecked when it opens the table: this garbage aborted the
    // process (an assert in block.cc) as the database opened
    await damage(file, layout.metaindex.offset + 10, Buffer.alloc(64, 0x5a));

    const events: SystemEventInput[] = [];
    const wal = await openTestWal(folder.dir, { onEvent: (event) => events.push(event) });
    expect(wal.lastSequenceId).toBe(2100);
    await publishTestFrames(wal, 10); // the WAL keeps working: 2101-2110
    const { frames, lastSequenceId } = await wal.read(0, 5000);
    expect(lastSequenceId).toBe(2110);
    expect(frames.map((frame) => frame.sequenceId)).toEqual(range(2001, 2110));
    expect(wal.metrics().corruptFrames).toBe(2000);
    await wal.close();
    expect(events.find((event) => event.code === 'wal.damaged_table')?.message).toMatch(
      /its metaindex block is damaged, so RocksDB refuses the whole file/,
    );
  });
});
