import { describe, expect, it } from 'vitest';
import { FrameEnvelope, FrameType, Quality } from '../../proto/generated/frame.ts';
import { CorruptFrameError, decodeFrame, encodeFrame } from './frame-codec.ts';
import { decodeEnvelope, encodeEnvelope } from './frame-envelope.ts';
import { frameKey, frameKeyBytes, parseFrameKey } from './frame-key.ts';
import type { Frame } from './frame.ts';
import { systemEventBody } from './system-event.ts';

const frames: Frame[] = [
  {
    type: 'data',
    sequenceId: 1,
    timestamp: 1_700_000_000_123_456_789n,
    payload: {
      tagId: 't-1',
      deviceId: 'd-1',
      value: { kind: { $case: 'intValue', value: -(2n ** 63n) } },
      rawValue: 1.5,
      sourceTimestamp: 2n ** 64n - 1n,
      quality: Quality.QUALITY_UNCERTAIN,
      qualityReason: 6,
      errorCode: 0,
    },
  },
  {
    type: 'command',
    sequenceId: 2 ** 40 + 7,
    timestamp: 5n,
    payload: {
      commandId: 'c-1',
      tagId: 't-1',
      deviceId: 'd-1',
      value: { kind: { $case: 'bytesValue', value: new Uint8Array([1, 2, 3]) } },
      originUser: 'admin',
      timeoutMs: 5000,
    },
  },
  {
    type: 'commandAck',
    sequenceId: Number.MAX_SAFE_INTEGER,
    timestamp: 0n,
    payload: {
      commandId: 'c-1',
      success: false,
      error: 'Slave 3 did not answer',
      actualValue: undefined,
      tagId: 't-1',
    },
  },
  { type: 'heartbeat', sequenceId: 9, timestamp: 9n, payload: { source: 'modbus-1', uptimeMs: 123456 } },
  {
    ...(systemEventBody({
      code: 'wal.corrupt_frames',
      severity: 'critical',
      message: 'm',
      details: { count: 3 },
    }) as Frame),
    sequenceId: 10,
    timestamp: 10n,
  },
];

describe('frame codec', () => {
  it.each(frames.map((frame) => [frame.type, frame] as const))('round-trips a %s frame', (_type, frame) => {
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('writes exactly the bytes ts-proto writes for FrameEnvelope, and reads them back', () => {
    for (const frame of frames) {
      const bytes = encodeFrame(frame);
      const viaTsProto = FrameEnvelope.decode(bytes);
      expect(viaTsProto.sequenceId).toBe(frame.sequenceId);
      expect(viaTsProto.timestamp).toBe(frame.timestamp);
      expect(Buffer.from(FrameEnvelope.encode(viaTsProto).finish())).toEqual(bytes);
      expect(decodeEnvelope(FrameEnvelope.encode(viaTsProto).finish())).toEqual({
        ...viaTsProto,
        data: expect.any(Uint8Array),
      });
    }
  });

  it('skips unknown envelope fields written by a newer version', () => {
    const bytes = encodeFrame(frames[0]!);
    const withExtra = Buffer.concat([bytes, Buffer.from([0x32, 0x02, 0xaa, 0xbb, 0x38, 0x05])]); // fields 6 (bytes) and 7 (varint)
    expect(decodeFrame(withExtra)).toEqual(frames[0]);
  });

  it('detects every single-bit flip', () => {
    const bytes = encodeFrame(frames[0]!);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(bytes);
        damaged[i]! ^= 1 << bit;
        expect(() => decodeFrame(damaged), `byte ${i} bit ${bit}`).toThrow(CorruptFrameError);
      }
    }
  });

  it('rejects truncated and garbage values with a CorruptFrameError', () => {
    const bytes = encodeFrame(frames[1]!);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeFrame(bytes.subarray(0, length))).toThrow(CorruptFrameError);
    }
    expect(() => decodeFrame(Buffer.from('not a frame at all'))).toThrow(CorruptFrameError);
    expect(() => decodeFrame(Buffer.alloc(30, 0xff))).toThrow(CorruptFrameError);
  });

  it('names an unknown frame type', () => {
    const envelope = decodeEnvelope(encodeFrame(frames[3]!));
    const bytes = encodeEnvelope({ ...envelope, frameType: FrameType.FRAME_TYPE_UNSPECIFIED });
    expect(() => decodeFrame(bytes)).toThrow(/checksum|unknown frame type/);
  });
});

describe('frame keys', () => {
  it('is the seed format and sorts by sequence', () => {
    expect(frameKey(1234)).toBe('frame:00000000000000001234');
    expect(frameKey(9) < frameKey(10)).toBe(true);
    expect(parseFrameKey(frameKey(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseFrameKey(Buffer.from(frameKey(42)))).toBe(42);
    for (const seq of [0, 1, 9, 10, 1234, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(frameKeyBytes(seq).toString('latin1')).toBe(frameKey(seq));
    }
    for (const bad of [
      'frame:12',
      'frame:0000000000000000000x',
      'consumer:00000000000000000001',
      'frame:99999999999999999999',
    ]) {
      expect(parseFrameKey(bad)).toBeUndefined();
    }
  });
});

describe('frames read in place', () => {
  it('decodes each frame of a larger buffer from its byte range, and rejects a damaged one', () => {
    const parts = frames.map((frame) => encodeFrame(frame));
    const all = Buffer.concat([Buffer.from([0xaa]), ...parts, Buffer.from([0xbb])]);
    let at = 1;
    parts.forEach((part, i) => {
      expect(decodeFrame(all, undefined, at, at + part.length)).toEqual(decodeFrame(part));
      expect(decodeEnvelope(all, at, at + part.length)).toEqual(decodeEnvelope(part));
      const damaged = Buffer.from(all);
      damaged[at + part.length - 8]! ^= 0x10;
      expect(() => decodeFrame(damaged, undefined, at, at + part.length)).toThrow(CorruptFrameError);
      expect(() => decodeFrame(all, undefined, at, at + part.length - 1)).toThrow(CorruptFrameError);
      expect(frames[i]!.sequenceId).toBe(decodeFrame(all, undefined, at, at + part.length)!.sequenceId);
      at += part.length;
    });
  });
});
