// Sparkplug B payload decoding, checked against bytes written field by field as the
// specification numbers them (not with our own generated encoder), and the typing rules.
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { Payload } from '../../../proto/generated/sparkplug_b.ts';
import { decodeSparkplugPayload, metricValue, rebirthRequest, tagValueOf } from './sparkplug-payload.ts';

/** A metric as a Sparkplug publisher writes it: name 1, alias 2, timestamp 3, datatype 4, is_null 7, value 10…16. */
function metric(write: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  write(w);
  return w.finish();
}

describe('Sparkplug B payloads', () => {
  it('decodes a payload written by field number, with the values typed by datatype', () => {
    const w = new BinaryWriter();
    w.uint32((1 << 3) | 0).uint64(1_700_000_000_123n); // timestamp
    w.uint32((3 << 3) | 0).uint64(17n); // seq
    const metrics = [
      metric((m) =>
        m
          .uint32((1 << 3) | 2)
          .string('Level')
          .uint32((2 << 3) | 0)
          .uint64(4n)
          .uint32((4 << 3) | 0)
          .uint32(2)
          .uint32((10 << 3) | 0)
          .uint32(0xff85),
      ),
      metric((m) =>
        m
          .uint32((1 << 3) | 2)
          .string('Energy')
          .uint32((4 << 3) | 0)
          .uint32(8)
          .uint32((11 << 3) | 0)
          .uint64(2n ** 64n - 2n),
      ),
      metric((m) =>
        m
          .uint32((1 << 3) | 2)
          .string('Ratio')
          .uint32((3 << 3) | 0)
          .uint64(1_700_000_000_000n)
          .uint32((4 << 3) | 0)
          .uint32(9)
          .uint32((12 << 3) | 5)
          .float(0.5),
      ),
      metric((m) =>
        m
          .uint32((1 << 3) | 2)
          .string('Fault')
          .uint32((4 << 3) | 0)
          .uint32(12)
          .uint32((7 << 3) | 0)
          .bool(true),
      ),
    ];
    for (const bytes of metrics) w.uint32((2 << 3) | 2).bytes(bytes);
    const decoded = decodeSparkplugPayload(w.finish());
    expect(decoded.timestampMs).toBe(1_700_000_000_123n);
    expect(decoded.seq).toBe(17n);
    const [level, energy, ratio, fault] = decoded.metrics;
    expect(level).toMatchObject({ name: 'Level', alias: 4n, dataType: 2 });
    expect(metricValue(level!.dataType, level!.wire!)).toBe(-123); // Int16, zero-extended on the wire
    expect(metricValue(energy!.dataType, energy!.wire!)).toBe(2n ** 64n - 2n);
    expect(ratio).toMatchObject({ timestampMs: 1_700_000_000_000n, dataType: 9 });
    expect(metricValue(ratio!.dataType, ratio!.wire!)).toBe(0.5);
    expect(fault).toMatchObject({ isNull: true, wire: undefined });
  });

  it('types integers from either extension, 64-bit values exactly, and refuses a mismatched value', () => {
    expect(metricValue(1, { $case: 'intValue', value: 0xfe })).toBe(-2);
    expect(metricValue(1, { $case: 'intValue', value: 0xfffffffe })).toBe(-2);
    expect(metricValue(3, { $case: 'intValue', value: 0x80000000 })).toBe(-2_147_483_648);
    expect(metricValue(7, { $case: 'intValue', value: 0xffffffff })).toBe(4_294_967_295);
    expect(metricValue(4, { $case: 'longValue', value: 2n ** 64n - 1n })).toBe(-1n);
    expect(metricValue(13, { $case: 'longValue', value: 1_700_000_000_000n })).toBe(1_700_000_000_000);
    expect(() => metricValue(10, { $case: 'stringValue', value: 'x' })).toThrow(
      /a Double metric carries a string value/,
    );
  });

  it('puts a metric value into the tag type, or says why it does not fit', () => {
    expect(tagValueOf('UInt64', 2n ** 64n - 1n, 8)).toBe(2n ** 64n - 1n);
    expect(tagValueOf('Int32', 5n, 4)).toBe(5);
    expect(tagValueOf('Int16', 40_000, 7)).toMatch(/a UInt32 value \(40000\) does not fit a Int16 tag/);
    expect(tagValueOf('Int32', 1.5, 10)).toMatch(/does not fit/);
    expect(tagValueOf('Double', 2n ** 53n, 8)).toBe(2 ** 53);
    expect(tagValueOf('String', 1_700_000_000_000, 13)).toBe('2023-11-14T22:13:20.000Z');
    expect(tagValueOf('Boolean', 1, 5)).toBe(true);
    expect(tagValueOf('Boolean', 'on', 12)).toMatch(/does not fit a Boolean tag/);
  });

  it('refuses bytes that are not a payload', () => {
    expect(() => decodeSparkplugPayload(new Uint8Array([0x12, 0xff, 0xff]))).toThrow(/not a Sparkplug B payload/);
  });

  it('writes the Rebirth request an edge node expects', () => {
    const request = Payload.decode(rebirthRequest(1_700_000_000_000));
    expect(request.metrics).toEqual([
      expect.objectContaining({
        name: 'Node Control/Rebirth',
        datatype: 11,
        value: { $case: 'booleanValue', value: true },
      }),
    ]);
  });
});
