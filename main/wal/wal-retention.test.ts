import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataBody, openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { sleep } from '../../test/wait.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import { nowNs, nsToMs } from '../frames/frame-clock.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import type { FrameWal } from './frame-wal.ts';

const HOUR = 3_600_000;
let folder: Awaited<ReturnType<typeof tempDir>>;
let wal: FrameWal | undefined;
let bus: FrameBus | undefined;
let clockOffset = 0;
/** When set, wal.now() stands still there (a moving clock makes the retention boundary race). */
let frozenAt: number | undefined;
const events: SystemEventInput[] = [];

beforeEach(async () => {
  folder = await tempDir('gw-wal-retention-');
  clockOffset = 0;
  frozenAt = undefined;
  events.length = 0;
});
afterEach(async () => {
  await bus?.close();
  await wal?.close();
  bus = wal = undefined;
  await folder.remove();
});

async function open(retention: { maxSizeBytes?: number } = {}): Promise<void> {
  wal = await openTestWal(folder.dir, {
    now: () => frozenAt ?? Date.now() + clockOffset,
    retention: { retentionMs: 24 * HOUR, ...retention },
    onEvent: (event) => events.push(event),
  });
  bus = new FrameBus({ wal });
}

async function publish(count: number): Promise<void> {
  for (let i = 0; i < count; i++) bus!.publish(dataBody(`tag-${i % 20}`, i));
  await bus!.flush();
}

async function sequences(): Promise<number[]> {
  return (await wal!.read(0, 1_000_000)).frames.map((f) => f.sequenceId);
}

describe('WAL retention', () => {
  it('deletes frames older than the retention time, and only those', async () => {
    await open();
    await publish(100);
    await sleep(10);
    // on the frames' own clock (Date.now() can drift from it by more than a few ms on a VM)
    const boundary = nsToMs(nowNs());
    await sleep(10);
    await publish(100);
    expect(await wal!.applyRetention()).toMatchObject({ deletedFrames: 0 });

    frozenAt = boundary + 24 * HOUR; // wal.now() is 24 h after the boundary
    const report = await wal!.applyRetention();
    expect(report).toMatchObject({ deletedFrames: 100, droppedFrames: 0, firstSequenceId: 101 });
    expect(await sequences()).toEqual(Array.from({ length: 100 }, (_, i) => i + 101));
    expect(events).toEqual([]);
  });

  it('keeps old frames a durable consumer has not confirmed, and frees them once it has', async () => {
    await open();
    await publish(200);
    let calls = 0;
    const consumer = await wal!.consume(
      'historian',
      async () => {
        if (++calls > 1) await new Promise(() => undefined); // confirms 50, then hangs
      },
      { batchSize: 50, stopTimeoutMs: 10 },
    );
    while (consumer.checkpoint < 50) await sleep(5);
    clockOffset = 25 * HOUR;
    expect(await wal!.applyRetention()).toMatchObject({ deletedFrames: 50, droppedFrames: 0, firstSequenceId: 51 });
    expect((await sequences())[0]).toBe(51);

    // a consumer that is not running still holds its frames: its checkpoint is stored
    await consumer.stop();
    expect(await wal!.applyRetention()).toMatchObject({ deletedFrames: 0 });
    await wal!.removeConsumer('historian');
    expect(await wal!.applyRetention()).toMatchObject({ deletedFrames: 150 });
    expect(await sequences()).toEqual([]);
  });

  it('continues sequence numbers after retention has deleted every frame', async () => {
    await open();
    await publish(300);
    clockOffset = 25 * HOUR;
    expect(await wal!.applyRetention()).toMatchObject({ deletedFrames: 300, firstSequenceId: undefined });
    await bus!.close();
    await wal!.close();
    await open();
    expect(wal!.lastSequenceId).toBe(300);
    expect(bus!.publish(dataBody('t', 1)).sequenceId).toBe(301);
  });

  it('drops the oldest unconfirmed frames beyond the size cap, with a CRITICAL event and a count', async () => {
    await open({ maxSizeBytes: 1024 * 1024 });
    await wal!.consume('historian', () => new Promise(() => undefined), { startAt: 'latest', stopTimeoutMs: 10 });
    // ~3.5 MB of frames that vary enough not to compress away
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 2000; i++) {
        bus!.publish({
          type: 'event',
          payload: {
            kind: 4,
            severity: 0,
            message: `${round}-${i}-${Math.random().toString(36).repeat(4)}`,
            detail: undefined,
          },
        });
      }
      await bus!.flush();
    }
    const after = (await wal!.applyRetention()).sizeBytes;
    expect(after).toBeLessThan(1024 * 1024);
    const report = wal!.metrics();
    expect(report.droppedFrames).toBeGreaterThan(0);
    const remaining = await sequences();
    expect(remaining.at(-1)).toBe(20_000);
    expect(remaining[0]).toBe(report.droppedFrames + 1);
    const event = events.find((e) => e.code === 'wal.size_cap_drop');
    expect(event).toMatchObject({
      severity: 'critical',
      details: { droppedFrames: report.droppedFrames, 'lost.historian': report.droppedFrames, firstSequence: 1 },
    });
    expect(event!.message).toMatch(
      /size cap of 1 MB: \d+ frames were deleted before historian \(\d+\) had stored them/,
    );
  });
});
