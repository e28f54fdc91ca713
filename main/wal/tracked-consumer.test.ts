// A consumer confirmed by its owner instead of by reading: its checkpoint moves only forward and
// never past what is committed, is stored across a restart, holds frames back from retention,
// and a durable consumer of the same name goes on from it.
import { describe, expect, it } from 'vitest';
import { dataBody } from '../../test/frame-fixtures.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { FrameBus } from '../bus/frame-bus.ts';

const HOUR = 3_600_000;
const folder = useWalFolder('gw-wal-tracked-');

describe('tracked consumers', () => {
  it('move only forward, never past the last committed frame, and are stored across a restart', async () => {
    let now = Date.now();
    const wal = await folder.open({ now: () => now, retention: { intervalMs: 0, retentionMs: HOUR } });
    const bus = new FrameBus({ wal });
    const tracked = await wal.track('engine', { startAt: 'latest' });
    expect(tracked.checkpoint).toBe(0);
    for (let i = 0; i < 100; i++) bus.publish(dataBody(`tag-${i % 10}`, i));
    await bus.flush();

    tracked.advance(40);
    tracked.advance(30); // back: ignored
    expect(tracked.checkpoint).toBe(40);
    tracked.advance(1_000); // beyond the log: up to its end
    expect(tracked.checkpoint).toBe(100);
    now += 3_000;
    expect(tracked.metrics()).toMatchObject({ name: 'engine', checkpoint: 100, lagFrames: 0, lagSeconds: 0 });
    bus.publish(dataBody('tag-0', 1));
    await bus.flush();
    now += 2_000;
    // the frames are not read, so the lag's age is how long the checkpoint has stood still
    expect(tracked.metrics()).toMatchObject({ lagFrames: 1, lagSeconds: 5, framesDelivered: 100 });

    // running under its name: nothing else may take it
    await expect(wal.consume('engine', async () => undefined)).rejects.toThrow(/already running/);
    await expect(wal.track('bad name!')).rejects.toThrow(/Consumer name "bad name!" must be/);
    await tracked.stop();
    tracked.advance(101); // stopped: ignored
    expect((await wal.checkpoints()).get('engine')).toBe(100);
    await bus.close();
    await wal.close();

    // after a restart, a durable consumer of that name reads on from the tracked checkpoint
    const reopened = await folder.open({ retention: { intervalMs: 0 } });
    const received: number[] = [];
    const consumer = await reopened.consume('engine', async (frames) => {
      received.push(...frames.map((frame) => frame.sequenceId));
    });
    await expect.poll(() => consumer.checkpoint).toBe(101);
    expect(received).toEqual([101]);
  });

  it('keep the frames they have not confirmed from retention', async () => {
    let now = Date.now();
    const wal = await folder.open({ now: () => now, retention: { intervalMs: 0, retentionMs: HOUR } });
    const bus = new FrameBus({ wal });
    const tracked = await wal.track('engine');
    for (let i = 0; i < 200; i++) bus.publish(dataBody(`tag-${i % 10}`, i));
    await bus.flush();
    tracked.advance(50);
    await tracked.stop(); // stored
    now += 2 * HOUR;
    expect(await wal.applyRetention()).toMatchObject({ deletedFrames: 50, firstSequenceId: 51 });
    await bus.close();
  });
});
