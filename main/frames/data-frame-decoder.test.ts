import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFrame, Quality, QualityReason, type Value } from '../../proto/generated/frame.ts';
import { decodeDataFramePayload } from './data-frame-decoder.ts';

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const value: fc.Arbitrary<Value | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: undefined }),
  fc.boolean().map((v) => ({ kind: { $case: 'boolValue' as const, value: v } })),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .map((v) => ({ kind: { $case: 'intValue' as const, value: v } })),
  u64.map((v) => ({ kind: { $case: 'uintValue' as const, value: v } })),
  fc.double().map((v) => ({ kind: { $case: 'doubleValue' as const, value: v } })),
  fc.string({ unit: 'binary', maxLength: 80 }).map((v) => ({ kind: { $case: 'stringValue' as const, value: v } })),
  fc.uint8Array({ maxLength: 40 }).map((v) => ({ kind: { $case: 'bytesValue' as const, value: v } })),
  u64.map((v) => ({ kind: { $case: 'timestampValue' as const, value: v } })),
);
const dataFrame: fc.Arbitrary<DataFrame> = fc.record({
  tagId: fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 50 })),
  deviceId: fc.oneof(fc.uuid(), fc.constant('')),
  value,
  rawValue: fc.double(),
  sourceTimestamp: u64,
  quality: fc.constantFrom(Quality.QUALITY_GOOD, Quality.QUALITY_UNCERTAIN, Quality.QUALITY_BAD),
  qualityReason: fc.integer({ min: 0, max: 12 }) as fc.Arbitrary<QualityReason>,
  errorCode: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});

/** What the generated decoder makes of the bytes: a message or an error. */
function generated(bytes: Uint8Array): DataFrame | 'error' {
  try {
    return DataFrame.decode(bytes);
  } catch {
    return 'error';
  }
}

describe('DataFrame fast decoder', () => {
  it('reads what the generated encoder writes exactly as the generated decoder does', () => {
    fc.assert(
      fc.property(dataFrame, (frame) => {
        const bytes = DataFrame.encode(frame).finish();
        expect(decodeDataFramePayload(bytes)).toEqual(DataFrame.decode(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a payload in place, inside bytes that hold other data around it', () => {
    fc.assert(
      fc.property(
        dataFrame,
        fc.uint8Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 20 }),
        (frame, before, after) => {
          const bytes = DataFrame.encode(frame).finish();
          const around = Buffer.concat([before, bytes, after]);
          expect(decodeDataFramePayload(around, before.length, before.length + bytes.length)).toEqual(
            DataFrame.decode(bytes),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never disagrees with the generated decoder on damaged or foreign bytes', () => {
    fc.assert(
      fc.property(dataFrame, fc.nat(), fc.nat(255), (frame, at, byte) => {
        const bytes = new Uint8Array(DataFrame.encode(frame).finish());
        if (bytes.length === 0) return;
        bytes[at % bytes.length] = byte;
        for (const variant of [bytes, bytes.subarray(0, at % bytes.length)]) {
          let fast: DataFrame | 'error' | undefined;
          try {
            fast = decodeDataFramePayload(variant);
          } catch {
            fast = 'error';
          }
          // undefined or an error: the caller asks the generated decoder, whose answer stands
          if (fast !== undefined && fast !== 'error') expect(fast).toEqual(generated(variant));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves an unknown field, a negative enum and a repeated field to the generated decoder', () => {
    const bytes = DataFrame.encode({
      tagId: 't',
      deviceId: 'd',
      value: { kind: { $case: 'doubleValue', value: 1.5 } },
      rawValue: 2,
      sourceTimestamp: 3n,
      quality: Quality.QUALITY_BAD,
      qualityReason: QualityReason.QUALITY_REASON_TIMEOUT,
      errorCode: 4,
    }).finish();
    const unknownField = Buffer.concat([bytes, Buffer.from([0x48, 0x01])]); // field 9, varint
    expect(decodeDataFramePayload(unknownField)).toBeUndefined();
    expect(generated(unknownField)).toMatchObject({ tagId: 't', errorCode: 4 });
    const negativeQuality = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(decodeDataFramePayload(negativeQuality)).toBeUndefined();
    // a field written twice: the last one counts, in both decoders
    const twice = Buffer.concat([bytes, Buffer.from([0x0a, 0x01, 0x78])]);
    expect(decodeDataFramePayload(twice)).toEqual(DataFrame.decode(twice));
    expect(decodeDataFramePayload(twice)?.tagId).toBe('x');
  });
});
