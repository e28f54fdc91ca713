import CRC32C from 'crc-32/crc32c.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameChecksum } from './frame-checksum.ts';

/** The checksum as the package computes it: the header's 20 bytes, then the payload, whole. */
function reference(sequenceId: number, timestamp: bigint, wireType: number, data: Uint8Array): number {
  const header = new DataView(new ArrayBuffer(20));
  header.setUint32(0, sequenceId % 0x1_0000_0000, true);
  header.setUint32(4, Math.floor(sequenceId / 0x1_0000_0000), true);
  header.setBigUint64(8, timestamp, true);
  header.setUint32(16, wireType >>> 0, true);
  return CRC32C.buf(data, CRC32C.buf(new Uint8Array(header.buffer))) >>> 0;
}

describe('frameChecksum', () => {
  it('is CRC-32C of the header and the payload, also over a byte range inside a larger buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 0, max: 6 }),
        (payload, before, after, sequenceId, timestamp, type) => {
          const expected = reference(sequenceId, timestamp, type, payload);
          expect(frameChecksum(sequenceId, timestamp, type, payload)).toBe(expected);
          const around = Buffer.concat([before, payload, after]);
          const end = before.length + payload.length;
          expect(frameChecksum(sequenceId, timestamp, type, around, before.length, end)).toBe(expected);
        },
      ),
    );
  });

  it('matches the CRC-32C check value of "123456789" past the header', () => {
    // 0xe3069283 is CRC-32C("123456789"); seeded with the header's CRC it must agree with the package
    const digits = Buffer.from('xx123456789yy');
    expect(frameChecksum(1, 2n, 3, digits, 2, 11)).toBe(reference(1, 2n, 3, Buffer.from('123456789')));
    expect(CRC32C.buf(Buffer.from('123456789')) >>> 0).toBe(0xe3069283);
  });

  it('changes with any flipped bit of the payload range, and ignores the bytes around it', () => {
    const bytes = Buffer.from('....a payload of some length, past sixteen bytes....');
    const start = 4;
    const end = bytes.length - 4;
    const clean = frameChecksum(7, 8n, 1, bytes, start, end);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        bytes[i]! ^= 1 << bit;
        const inRange = i >= start && i < end;
        expect(frameChecksum(7, 8n, 1, bytes, start, end) !== clean).toBe(inRange);
        bytes[i]! ^= 1 << bit;
      }
    }
  });
});
