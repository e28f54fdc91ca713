import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataBody, openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { sleep, until } from '../../test/wait.ts';
import { EventKind, Severity } from '../../proto/generated/frame.ts';
import type { Frame } from '../frames/frame.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import { BusClosedError, BusOverloadedError, FrameBus } from './frame-bus.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
let wal: FrameWal;
let bus: FrameBus;

beforeEach(async () => {
  folder = await tempDir('gw-bus-');
});
afterEach(async () => {
  await bus?.close();
  await wal?.close();
  await folder.remove();
});

async function setup(options: { groupCommitMs?: number; walHighWaterMark?: number; hardLimit?: number } = {}) {
  wal = await openTestWal(folder.dir, { groupCommitMs: options.groupCommitMs, groupCommitFrames: 1_000_000 });
  bus = new FrameBus({ wal, walHighWaterMark: options.walHighWaterMark, hardLimit: options.hardLimit });
}

describe('FrameBus', () => {
  it('assigns increasing sequence ids and timestamps, and makes frames durable', async () => {
    await setup();
    const a = bus.publish(dataBody('t1', 1));
    const b = bus.publish({ type: 'heartbeat', payload: { source: 'driver', uptimeMs: 5 } });
    expect([a.sequenceId, b.sequenceId]).toEqual([1, 2]);
    expect(b.timestamp).toBeGreaterThanOrEqual(a.timestamp);
    expect(a.timestamp).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n);
    await bus.whenDurable(b.sequenceId);
    expect((await wal.read(0)).frames).toEqual([a, b]);
  });

  it('delivers to live subscribers by frame type, tag and device, in order', async () => {
    await setup();
    const seen: Record<string, number[]> = { all: [], data: [], t1: [], d2: [], events: [] };
    const record = (name: string) => (frame: Frame) => void seen[name]!.push(frame.sequenceId);
    bus.subscribe({ name: 'all' }, record('all'));
    bus.subscribe({ name: 'data', types: ['data'] }, record('data'));
    bus.subscribe({ name: 't1', tagIds: ['t1'] }, record('t1'));
    bus.subscribe({ name: 'd2', types: ['data', 'event'], deviceIds: ['d2'] }, record('d2'));
    bus.subscribe({ name: 'events', types: ['event'] }, record('events'));
    bus.publish(dataBody('t1', 1, 'd1')); // 1
    bus.publish(dataBody('t2', 2, 'd2')); // 2
    bus.publish({
      type: 'event',
      payload: {
        kind: EventKind.EVENT_KIND_DEVICE_STATUS,
        severity: Severity.SEVERITY_WARNING,
        message: 'PLC-2 went offline',
        detail: {
          $case: 'deviceStatus',
          value: { deviceId: 'd2', status: 'Offline', previousStatus: 'Online', reason: 'timeout' },
        },
      },
    }); // 3
    bus.publish({
      type: 'command',
      payload: { commandId: 'c', tagId: 't1', deviceId: 'd1', value: undefined, originUser: 'u', timeoutMs: 1 },
    }); // 4
    await sleep(5);
    expect(seen).toEqual({ all: [1, 2, 3, 4], data: [1, 2], t1: [1, 4], d2: [2, 3], events: [3] });
    expect(() => bus.subscribe({ name: 'x', types: ['bogus' as 'data'] }, () => undefined)).toThrow(
      /Unknown frame type "bogus"/,
    );
  });

  it('keeps going when a subscriber throws, and reports it', async () => {
    await setup();
    const good: number[] = [];
    bus.subscribe({ name: 'broken', types: ['data'] }, () => {
      throw new Error('boom');
    });
    bus.subscribe({ name: 'good', types: ['data'] }, (f) => void good.push(f.sequenceId));
    const events: Frame[] = [];
    bus.subscribe({ name: 'events', types: ['event'] }, (f) => void events.push(f));
    const originalError = console.error;
    console.error = () => undefined;
    try {
      for (let i = 0; i < 3; i++) bus.publish(dataBody('t', i));
      await sleep(5);
    } finally {
      console.error = originalError;
    }
    expect(good).toEqual([1, 2, 3]);
    expect(bus.metrics().subscriptions.find((s) => s.name === 'broken')).toMatchObject({
      handlerErrors: 3,
      delivered: 3,
    });
    expect(
      events.map((e) => e.type === 'event' && e.payload.detail?.$case === 'system' && e.payload.detail.value.code),
    ).toEqual(['bus.subscriber_error']);
  });

  it('coalesces to the latest value per tag, at most once per interval', async () => {
    await setup();
    const deliveries: { at: number; frames: Frame[] }[] = [];
    bus.subscribeCoalesced({ name: 'ui', types: ['data', 'event'], intervalMs: 100 }, (frames) => {
      deliveries.push({ at: performance.now(), frames });
    });
    const started = performance.now();
    while (performance.now() - started < 450) {
      for (let tag = 0; tag < 5; tag++) bus.publish(dataBody(`t${tag}`, performance.now()));
      await sleep(1);
    }
    bus.publishSystemEvent({ code: 'x', severity: 'info', message: 'm' });
    await sleep(150);
    // ≤ 10 updates per second, each with one (the latest) value per tag
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < deliveries.length; i++) {
      expect(deliveries[i]!.at - deliveries[i - 1]!.at).toBeGreaterThanOrEqual(95);
    }
    for (const { frames } of deliveries.slice(0, -1)) {
      const tags = frames.filter((f) => f.type === 'data').map((f) => f.type === 'data' && f.payload.tagId);
      expect(new Set(tags).size).toBe(tags.length);
      expect(frames.map((f) => f.sequenceId)).toEqual([...frames.map((f) => f.sequenceId)].sort((a, b) => a - b));
    }
    const lastValues = deliveries.flatMap((d) => d.frames).filter((f) => f.type === 'data');
    expect(lastValues.at(-1)!.sequenceId).toBe(bus.metrics().lastSequenceId - 1);
    expect(deliveries.at(-1)!.frames.some((f) => f.type === 'event')).toBe(true);
  });

  it('slows producers while a live subscriber is behind, reports it, and releases them once it catches up', async () => {
    await setup();
    let release: () => void = () => undefined;
    const handled: number[] = [];
    bus.subscribe({ name: 'slow-alerts', types: ['data'], queueLimit: 100 }, async (frame) => {
      if (handled.length === 0) await new Promise<void>((resolve) => (release = resolve));
      handled.push(frame.sequenceId);
    });
    const events: Frame[] = [];
    bus.subscribe({ name: 'events', types: ['event'] }, (f) => void events.push(f));
    for (let i = 0; i < 150; i++) bus.publish(dataBody('t', i));
    expect(bus.congested).toBe(true);
    let drained = false;
    const drain = bus.drain().then(() => (drained = true));
    await sleep(20);
    expect(drained).toBe(false);
    expect(bus.metrics()).toMatchObject({ congested: true, congestionEpisodes: 1 });
    expect(events.map((e) => e.type === 'event' && e.payload.message)).toEqual([
      expect.stringMatching(/slowing down producers: the live subscriber "slow-alerts" is 100 frames behind/),
    ]);
    release();
    await drain;
    expect(bus.congested).toBe(false);
    await until(() => handled.length === 150);
    expect(handled).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(bus.metrics().backpressureWaitMs).toBeGreaterThan(15);
  });

  it('drops the oldest frames for a subscriber twice its limit behind, and counts them', async () => {
    await setup();
    let release: () => void = () => undefined;
    const handled: number[] = [];
    bus.subscribe({ name: 'stuck', types: ['data'], queueLimit: 10 }, async (frame) => {
      if (handled.length === 0) await new Promise<void>((resolve) => (release = resolve));
      handled.push(frame.sequenceId);
    });
    const events: Frame[] = [];
    bus.subscribe({ name: 'events', types: ['event'] }, (f) => void events.push(f));
    for (let i = 0; i < 50; i++) bus.publish(dataBody('t', i));
    // a hung subscriber must not stop the producers for good
    expect(bus.congested).toBe(false);
    await bus.drain();
    await sleep(1);
    expect(events.map((e) => e.type === 'event' && e.payload.message)).toContainEqual(
      expect.stringMatching(/"stuck" is more than 20 frames behind: its oldest frames are dropped/),
    );
    release();
    await until(() => bus.metrics().subscriptions[0]!.queued === 0);
    expect(bus.metrics().subscriptions[0]).toMatchObject({ dropped: 30 });
    expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => i + 31));
  });

  it('slows producers while the WAL is behind, and refuses frames beyond the hard limit', async () => {
    await setup({ groupCommitMs: 60_000, walHighWaterMark: 100, hardLimit: 200 });
    for (let i = 0; i < 200; i++) bus.publish(dataBody('t', i));
    expect(bus.congested).toBe(true);
    expect(() => bus.publish(dataBody('t', 0))).toThrow(BusOverloadedError);
    expect(bus.metrics().refusedFrames).toBe(1);
    const drained = bus.drain();
    await bus.flush(); // the write that the long group-commit delay held back
    await drained;
    expect(bus.congested).toBe(false);
    expect(bus.publish(dataBody('t', 0)).sequenceId).toBe(201);
  });

  it('refuses a frame that cannot be encoded, and carries on', async () => {
    await setup();
    const bad = dataBody('t', 1);
    if (bad.type === 'data') bad.payload.sourceTimestamp = 2n ** 64n; // beyond uint64
    expect(() => bus.publish(bad)).toThrow(/The data frame cannot be encoded: .*uint64 too large/);
    const good = bus.publish(dataBody('t', 2));
    expect(good.sequenceId).toBe(1);
    await bus.whenDurable(good.sequenceId);
    expect((await wal.read(0)).frames).toEqual([good]);
  });

  it('refuses to publish after close', async () => {
    await setup();
    await bus.close();
    expect(() => bus.publish(dataBody('t', 1))).toThrow(BusClosedError);
  });
});
