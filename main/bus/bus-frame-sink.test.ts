import { describe, expect, it } from 'vitest';
import { dataBody } from '../../test/frame-fixtures.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { EventKind, Severity } from '../../proto/generated/frame.ts';
import { busFrameSink } from './bus-frame-sink.ts';
import { FrameBus } from './frame-bus.ts';

const folder = useWalFolder('gw-bus-sink-');

describe('busFrameSink', () => {
  it('publishes what drivers hand it, and makes them wait while the bus is congested', async () => {
    const wal = await folder.open({ groupCommitMs: 60_000, groupCommitFrames: 1_000_000 });
    const bus = new FrameBus({ wal, walHighWaterMark: 3 });
    const sink = busFrameSink(bus);
    const payloads = [1, 2].map((v) => {
      const body = dataBody(`t${v}`, v);
      if (body.type !== 'data') throw new Error('unreachable');
      return body.payload;
    });
    expect(sink.publishData(payloads)).toBeUndefined();
    const event = {
      kind: EventKind.EVENT_KIND_DRIVER_STATE,
      severity: Severity.SEVERITY_INFO,
      message: 'up',
      detail: undefined,
    };
    const waiting = sink.publishEvent(event);
    expect(waiting).toBeInstanceOf(Promise); // 3 frames wait for the WAL: congested
    await bus.flush();
    await waiting;
    expect(
      sink.publishCommandAck({ commandId: 'c', success: true, error: '', actualValue: undefined, tagId: 't1' }),
    ).toBeUndefined();
    await bus.flush();
    // the bus also reported its congestion, as a system event
    const frames = (await wal.read(0)).frames.filter(
      (f) => f.type !== 'event' || f.payload.kind !== EventKind.EVENT_KIND_SYSTEM,
    );
    expect(frames.map((f) => f.type)).toEqual(['data', 'data', 'event', 'commandAck']);
    await bus.close();
  });
});
