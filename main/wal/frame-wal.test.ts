import { describe, expect, it } from 'vitest';
import { dataBody } from '../../test/frame-fixtures.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { nowNs } from '../frames/frame-clock.ts';
import type { Frame } from '../frames/frame.ts';
import { WalClosedError, type FrameWal } from './frame-wal.ts';

const folder = useWalFolder();
let wal: FrameWal | undefined;

function frame(sequenceId: number, value = sequenceId): Frame {
  return { ...dataBody(`tag-${sequenceId % 7}`, value), sequenceId, timestamp: nowNs() } as Frame;
}

describe('FrameWal', () => {
  it('acknowledges appended frames once written and reads them back in order', async () => {
    wal = await folder.open();
    expect(wal.lastSequenceId).toBe(0);
    const appended = Array.from({ length: 500 }, (_, i) => frame(i + 1));
    for (const f of appended) wal.append(f);
    expect(wal.pendingFrames).toBeGreaterThan(0);
    await wal.whenDurable(500);
    expect(wal.committedSequenceId).toBe(500);
    const read = await wal.read(0, 10_000);
    expect(read.frames).toEqual(appended);
    expect((await wal.read(450, 10)).frames.map((f) => f.sequenceId)).toEqual([
      451, 452, 453, 454, 455, 456, 457, 458, 459, 460,
    ]);
  });

  it('writes many frames in few group-commit batches', async () => {
    wal = await folder.open({ groupCommitMs: 5, groupCommitFrames: 1000 });
    for (let seq = 1; seq <= 20_000; seq++) wal.append(frame(seq));
    await wal.flush();
    const { batchesWritten, committedSequenceId } = wal.metrics();
    expect(committedSequenceId).toBe(20_000);
    expect(batchesWritten).toBeLessThanOrEqual(25);
  });

  it('continues sequence numbers after a restart and refuses to go back', async () => {
    wal = await folder.open();
    for (let seq = 1; seq <= 100; seq++) wal.append(frame(seq));
    await wal.close();
    wal = await folder.open();
    expect(wal.lastSequenceId).toBe(100);
    expect(() => wal!.append(frame(100))).toThrow(/not after the last one/);
    wal.append(frame(101));
    await wal.flush();
    expect((await wal.read(99)).frames.map((f) => f.sequenceId)).toEqual([100, 101]);
  });

  it('writes everything pending on close, then refuses new frames', async () => {
    wal = await folder.open({ groupCommitMs: 60_000, groupCommitFrames: 1_000_000 });
    for (let seq = 1; seq <= 50; seq++) wal.append(frame(seq));
    const durable = wal.whenDurable(50);
    await wal.close();
    await expect(durable).resolves.toBeUndefined();
    expect(() => wal!.append(frame(51))).toThrow(WalClosedError);
    wal = await folder.open();
    expect((await wal.read(0)).frames).toHaveLength(50);
  });

  it('acknowledges in async durability mode too', async () => {
    wal = await folder.open({ durability: 'async' });
    for (let seq = 1; seq <= 100; seq++) wal.append(frame(seq));
    await wal.flush();
    expect(wal.metrics()).toMatchObject({ durability: 'async', committedSequenceId: 100, pendingFrames: 0 });
  });

  it('rejects a wait for a frame that was never appended', async () => {
    wal = await folder.open();
    await expect(wal.whenDurable(5)).rejects.toThrow(/never appended/);
  });
});
