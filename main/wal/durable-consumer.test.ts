import { describe, expect, it } from 'vitest';
import { dataBody } from '../../test/frame-fixtures.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { until } from '../../test/wait.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import type { Frame } from '../frames/frame.ts';
import type { FrameWal } from './frame-wal.ts';

const folder = useWalFolder();
let wal: FrameWal | undefined;

describe('durable consumers', () => {
  it('delivers every frame exactly once, in order, to a sink that fails for a while', async () => {
    wal = await folder.open();
    const bus = new FrameBus({ wal });
    let down = true;
    let attempts = 0;
    const received: number[] = [];
    const consumer = await wal.consume(
      'historian',
      async (frames) => {
        attempts++;
        if (down) throw new Error('historian unreachable');
        received.push(...frames.map((f) => f.sequenceId));
      },
      { batchSize: 250, retryMinMs: 5, retryMaxMs: 20 },
    );
    for (let i = 0; i < 3000; i++) {
      bus.publish(dataBody(`tag-${i % 10}`, i));
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await bus.flush();
    await until(() => attempts >= 5);
    const failing = consumer.metrics();
    expect(failing).toMatchObject({ failing: true, lastError: 'historian unreachable', checkpoint: 0 });
    expect(failing.lagFrames).toBe(3000);
    expect(failing.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(received).toEqual([]);

    down = false;
    await until(() => consumer.checkpoint === 3000);
    expect(received).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(consumer.metrics()).toMatchObject({ failing: false, lagFrames: 0, lagSeconds: 0, framesDelivered: 3000 });

    // new frames flow on as they are committed
    bus.publish(dataBody('tag-x', 1));
    await until(() => consumer.checkpoint === 3001);
    expect(received.at(-1)).toBe(3001);
    await bus.close();
  });

  it('resumes from its checkpoint after a restart; only the unconfirmed batch is offered again', async () => {
    wal = await folder.open();
    let bus = new FrameBus({ wal });
    for (let i = 0; i < 1000; i++) bus.publish(dataBody('t', i));
    await bus.flush();
    const firstRun: number[] = [];
    let calls = 0;
    const consumer = await wal.consume(
      'relational',
      async (frames) => {
        calls++;
        firstRun.push(...frames.map((f) => f.sequenceId));
        // the sink wrote batch 3, but hangs instead of confirming until the gateway stops
        if (calls === 3) await new Promise(() => undefined);
      },
      { batchSize: 100, stopTimeoutMs: 50 },
    );
    await until(() => calls === 3);
    expect(consumer.checkpoint).toBe(200);
    await bus.close();
    await wal.close();

    wal = await folder.open();
    bus = new FrameBus({ wal });
    const secondRun: number[] = [];
    const resumed = await wal.consume(
      'relational',
      async (frames) => void secondRun.push(...frames.map((f) => f.sequenceId)),
      {
        batchSize: 100,
      },
    );
    expect(resumed.checkpoint).toBe(200);
    await until(() => resumed.checkpoint === 1000);
    expect(secondRun).toEqual(Array.from({ length: 800 }, (_, i) => i + 201));
    // the only frames seen twice are the batch that was written but never confirmed
    const twice = firstRun.filter((seq) => secondRun.includes(seq));
    expect(twice).toEqual(Array.from({ length: 100 }, (_, i) => i + 201));
    await bus.close();
  });

  it('with maxInFlight, offers the next batches while one is being written, advancing only in order', async () => {
    wal = await folder.open();
    const bus = new FrameBus({ wal });
    for (let i = 0; i < 1000; i++) bus.publish(dataBody(`tag-${i % 10}`, i));
    await bus.flush();
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let calls = 0;
    let failedOnce = false;
    let inSink = 0;
    let mostInSink = 0;
    const stored: number[] = [];
    const consumer = await wal.consume(
      'pipelined',
      async (frames) => {
        const call = ++calls;
        mostInSink = Math.max(mostInSink, ++inSink);
        try {
          if (call === 1) await firstHeld;
          // the third batch fails once: retried on its own while the others go on
          if (frames[0]!.sequenceId === 201 && !failedOnce) {
            failedOnce = true;
            throw new Error('busy');
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
          stored.push(...frames.map((f) => f.sequenceId));
        } finally {
          inSink--;
        }
      },
      { batchSize: 100, maxInFlight: 3, retryMinMs: 5, retryMaxMs: 5 },
    );
    // batches 2 and 3 are offered while batch 1 is held; nothing is confirmed before batch 1
    await until(() => calls >= 3);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumer.checkpoint).toBe(0);
    expect(consumer.metrics().lagFrames).toBe(1000);
    expect(stored).not.toContain(1);
    releaseFirst();
    await until(() => consumer.checkpoint === 1000);
    expect(mostInSink).toBe(3);
    expect(failedOnce).toBe(true);
    expect([...stored].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(consumer.metrics()).toMatchObject({ failing: false, lagFrames: 0, framesDelivered: 1000 });
    await bus.close();
  });

  it('with maxInFlight, a stop while a batch hangs leaves the checkpoint before it', async () => {
    wal = await folder.open();
    let bus = new FrameBus({ wal });
    for (let i = 0; i < 600; i++) bus.publish(dataBody('t', i));
    await bus.flush();
    let calls = 0;
    const consumer = await wal.consume(
      'pipelined-stop',
      async (frames) => {
        calls++;
        // batch 3 (frames 201–300) never confirms; batches 4 and 5 are written meanwhile
        if (frames[0]!.sequenceId === 201) await new Promise(() => undefined);
      },
      { batchSize: 100, maxInFlight: 3, stopTimeoutMs: 50 },
    );
    await until(() => calls >= 5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumer.checkpoint).toBe(200);
    await consumer.stop();
    await bus.close();
    await wal.close();

    wal = await folder.open();
    bus = new FrameBus({ wal });
    const again: number[] = [];
    const resumed = await wal.consume(
      'pipelined-stop',
      async (frames) => void again.push(...frames.map((f) => f.sequenceId)),
      {
        batchSize: 100,
        maxInFlight: 3,
      },
    );
    expect(resumed.checkpoint).toBe(200);
    await until(() => resumed.checkpoint === 600);
    expect(again).toEqual(Array.from({ length: 400 }, (_, i) => i + 201));
    await bus.close();
  });

  it('delivers only the frame types asked for, and moves past the others', async () => {
    wal = await folder.open();
    const bus = new FrameBus({ wal });
    bus.publish(dataBody('t', 1));
    bus.publishSystemEvent({ code: 'x', severity: 'info', message: 'hello' });
    bus.publish({ type: 'heartbeat', payload: { source: 's', uptimeMs: 1 } });
    bus.publish(dataBody('t', 2));
    bus.publish({ type: 'heartbeat', payload: { source: 's', uptimeMs: 2 } });
    await bus.flush();
    const got: Frame[] = [];
    const consumer = await wal.consume('data-only', async (frames) => void got.push(...frames), { types: ['data'] });
    await until(() => consumer.checkpoint === 5);
    expect(got.map((f) => [f.type, f.sequenceId])).toEqual([
      ['data', 1],
      ['data', 4],
    ]);
    await bus.close();
  });

  it('starts a new consumer at the oldest frame, or at the end with startAt: latest', async () => {
    wal = await folder.open();
    const bus = new FrameBus({ wal });
    for (let i = 0; i < 10; i++) bus.publish(dataBody('t', i));
    await bus.flush();
    const all: number[] = [];
    const fresh: number[] = [];
    const a = await wal.consume('a', async (frames) => void all.push(...frames.map((f) => f.sequenceId)));
    const b = await wal.consume('b', async (frames) => void fresh.push(...frames.map((f) => f.sequenceId)), {
      startAt: 'latest',
    });
    bus.publish(dataBody('t', 99));
    await until(() => a.checkpoint === 11 && b.checkpoint === 11);
    expect(all).toHaveLength(11);
    expect(fresh).toEqual([11]);
    await expect(wal.consume('a', async () => undefined)).rejects.toThrow(/already running/);
    await expect(wal.consume('bad name!', async () => undefined)).rejects.toThrow(/must be 1–100 letters/);
    await bus.close();
  });
});
