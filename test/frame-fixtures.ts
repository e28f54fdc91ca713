// Frames and WALs for tests: realistic payloads, and a WAL on real RocksDB in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FrameBus } from '../main/bus/frame-bus.ts';
import type { FrameBody } from '../main/frames/frame.ts';
import { type FrameWal, type FrameWalOptions, openFrameWal } from '../main/wal/frame-wal.ts';
import { openRocksDbStorage } from '../main/wal/rocksdb-storage.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';

export function dataBody(tagId: string, value: number, deviceId = 'device-1'): FrameBody {
  return {
    type: 'data',
    payload: {
      tagId,
      deviceId,
      value: { kind: { $case: 'doubleValue', value } },
      rawValue: value * 10,
      sourceTimestamp: 1_700_000_000_000_000_000n + BigInt(Math.round(value)),
      quality: Quality.QUALITY_GOOD,
      qualityReason: QualityReason.QUALITY_REASON_NONE,
      errorCode: 0,
    },
  };
}

export async function tempDir(prefix = 'gw-wal-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Opens a WAL in `dir` with the retention timer off unless asked for. */
export async function openTestWal(dir: string, options: Partial<FrameWalOptions> = {}): Promise<FrameWal> {
  return openFrameWal({
    ...options,
    storage: await openRocksDbStorage(dir),
    retention: { intervalMs: 0, ...options.retention },
  });
}

/** Frames 1..count (data of five tags, the value its frame's number) through a bus into `wal`. */
export async function publishTestFrames(wal: FrameWal, count: number): Promise<void> {
  const bus = new FrameBus({ wal });
  for (let i = 1; i <= count; i++) bus.publish(dataBody(`tag-${i % 5}`, i));
  await bus.flush();
  await bus.close();
}
