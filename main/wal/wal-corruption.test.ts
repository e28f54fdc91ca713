// Damaged entries must be skipped, counted and reported, never crash the reader and never stop
// a durable consumer: values altered under their key (bit rot above RocksDB, a bad write) and
// bytes flipped inside RocksDB's table files on disk (which RocksDB's own block checksums catch).
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataBody, openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { until } from '../../test/wait.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import { frameKey } from '../frames/frame-key.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { openRocksDbStorage } from './rocksdb-storage.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  folder = await tempDir('gw-wal-corrupt-');
});
afterEach(async () => {
  await folder.remove();
});

async function writeFrames(count: number): Promise<void> {
  const wal = await openTestWal(folder.dir);
  const bus = new FrameBus({ wal });
  for (let i = 1; i <= count; i++) bus.publish(dataBody(`tag-${i % 5}`, i));
  await bus.flush();
  await bus.close();
  await wal.close();
}

describe('WAL corruption', () => {
  it('skips, counts and reports values with flipped bytes; consumers get every intact frame', async () => {
    await writeFrames(2000);
    const damaged = [3, 500, 501, 1234, 1999];
    const storage = await openRocksDbStorage(folder.dir);
    for (const [n, seq] of damaged.entries()) {
      const value = (await storage.get(frameKey(seq)))!;
      const copy = Buffer.from(value);
      if (n === 0)
        copy[copy.length - 1]! ^= 0x01; // the checksum itself
      else if (n === 1)
        await storage.put(frameKey(seq), copy.subarray(0, 10), true); // truncated
      else copy[Math.floor(Math.random() * copy.length)]! ^= 1 << Math.floor(Math.random() * 8);
      if (n !== 1) await storage.put(frameKey(seq), copy, true);
    }
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
    const expected = Array.from({ length: 2000 }, (_, i) => i + 1).filter((seq) => !damaged.includes(seq));
    expect(received).toEqual(expected);
    expect(wal.metrics().corruptFrames).toBe(6);

    // a second reader counts nothing twice
    const again = await wal.read(0, 5000);
    expect(again.frames).toHaveLength(1995);
    expect(wal.metrics().corruptFrames).toBe(6);

    await wal.close(); // flushes the pending report
    const report = events.find((event) => event.code === 'wal.corrupt_frames');
    expect(report).toMatchObject({
      severity: 'critical',
      details: { count: 6, firstSequence: 3, lastSequence: 2001 },
    });
    expect(report!.message).toMatch(/6 damaged frame\(s\).*skipped/);
  });

  it('steps over table blocks that RocksDB itself refuses as corrupt', async () => {
    await writeFrames(20_000);
    // Move everything into table files, then damage the middle of the biggest one.
    const storage = await openRocksDbStorage(folder.dir);
    await storage.compactRange('frame:', 'frame;');
    await storage.close();
    const tables = await Promise.all(
      (await readdir(folder.dir))
        .filter((name) => name.endsWith('.sst'))
        .map(async (name) => ({ name, size: (await stat(path.join(folder.dir, name))).size })),
    );
    const table = tables.sort((a, b) => b.size - a.size)[0]!;
    expect(table.size).toBeGreaterThan(100_000);
    const file = await open(path.join(folder.dir, table.name), 'r+');
    const garbage = Buffer.alloc(64, 0x5a);
    await file.write(garbage, 0, garbage.length, Math.floor(table.size / 3));
    await file.close();

    const events: SystemEventInput[] = [];
    const wal = await openTestWal(folder.dir, { onEvent: (event) => events.push(event) });
    const received: number[] = [];
    const consumer = await wal.consume(
      'historian',
      async (frames) => void received.push(...frames.map((f) => f.sequenceId)),
    );
    await until(() => consumer.checkpoint === 20_000);
    const lost = wal.metrics().corruptFrames;
    // one or two 4 KB blocks of ~20-byte-compressed frames: some dozens, not thousands
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(1000);
    expect(received.length + lost).toBe(20_000);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    await wal.close();
    expect(events.find((event) => event.code === 'wal.corrupt_frames')?.message).toMatch(/unreadable in storage/);
  });
});
