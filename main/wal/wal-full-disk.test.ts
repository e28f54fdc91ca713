// A full disk, for real: the WAL lives on a 16 MB tmpfs that a filler file has nearly filled.
// Writes fail; nothing acknowledged is lost; frames wait in memory and the bus slows producers
// (and refuses frames past its hard limit); once space is freed, the WAL reopens its store,
// writes everything in order, and a durable consumer that read through it all got each frame
// exactly once. Needs root for mount (CI runs as root; elsewhere the suite is skipped).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataBody } from '../../test/frame-fixtures.ts';
import { sleep } from '../../test/wait.ts';
import { requireExecutable, servicesRequired } from '../../test/services/service-requirement.ts';
import { BusOverloadedError, FrameBus } from '../bus/frame-bus.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { openFrameWal } from './frame-wal.ts';
import { openRocksDbStorage } from './rocksdb-storage.ts';

const isRoot = process.getuid?.() === 0;
if (!isRoot && servicesRequired) throw new Error('the full-disk WAL test mounts a tmpfs and must run as root');
if (!isRoot) console.warn('[skip] the full-disk WAL test mounts a tmpfs and needs root');
const mountCommand = isRoot ? requireExecutable('mount', 'util-linux') : undefined;

let mountPoint: string;

describe.skipIf(!mountCommand)('WAL on a full disk', () => {
  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(os.tmpdir(), 'gw-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
  });
  afterAll(async () => {
    execFileSync('umount', ['-l', mountPoint]);
    await rmdir(mountPoint);
  });

  it(
    'loses nothing acknowledged, holds and slows, and catches up once space is freed',
    { timeout: 60_000 },
    async () => {
      const dir = path.join(mountPoint, 'wal');
      const events: SystemEventInput[] = [];
      const wal = await openFrameWal({
        storage: await openRocksDbStorage(dir),
        retention: { intervalMs: 0 },
        onEvent: (event) => events.push(event),
      });
      const bus = new FrameBus({ wal, walHighWaterMark: 2000, hardLimit: 6000 });
      const received: number[] = [];
      await wal.consume('historian', async (frames) => void received.push(...frames.map((f) => f.sequenceId)), {
        retryMinMs: 10,
        retryMaxMs: 50,
      });
      const filler = path.join(mountPoint, 'filler');
      await writeFile(filler, Buffer.alloc(15 * 1024 * 1024));

      let acknowledged = 0;
      for (let round = 0; round < 100 && wal.metrics().writeFailures === 0; round++) {
        for (let i = 0; i < 1000; i++) bus.publish(dataBody(`tag-${i}`, round * 1000 + i));
        await sleep(10);
        acknowledged = wal.committedSequenceId;
      }
      expect(wal.metrics().writeFailures).toBeGreaterThan(0);
      const failure = events.find((event) => event.code === 'wal.write_failed');
      expect(failure).toMatchObject({ severity: 'critical' });
      expect(failure!.message).toMatch(/cannot write to .*No space left on device.*frames are waiting in memory/);

      // still full: frames wait in memory, producers are slowed, and refused past the hard limit
      let refused: unknown;
      try {
        for (let i = 0; i < 10_000; i++) bus.publish(dataBody('t', i));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(BusOverloadedError);
      expect(bus.congested).toBe(true);
      let drained = false;
      const drain = bus.drain().then(() => (drained = true));
      await sleep(300);
      expect(drained).toBe(false);
      expect(wal.committedSequenceId).toBe(acknowledged);
      const waiting = wal.lastSequenceId;

      await rm(filler);
      await drain;
      await bus.flush();
      expect(wal.committedSequenceId).toBe(waiting);
      for (let i = 0; i < 1000; i++) bus.publish(dataBody('after', i));
      await bus.flush();
      const last = wal.committedSequenceId;
      while (received.length < last) await sleep(10);
      expect(received).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      await bus.close();
      await wal.close();

      const reopened = await openFrameWal({ storage: await openRocksDbStorage(dir), retention: { intervalMs: 0 } });
      const all = await reopened.read(0, 1_000_000);
      expect(all.frames.map((f) => f.sequenceId)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(reopened.metrics().corruptFrames).toBe(0);
      await reopened.close();
    },
  );
});
