import { describe, expect, it } from 'vitest';
import { unsnappy } from './snappy.ts';

describe('unsnappy', () => {
  it('decodes literals and copies that overlap their own output', () => {
    // length 12, literal "abc", copy of 9 bytes from 3 back
    expect(unsnappy(Buffer.from([0x0c, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03])).toString()).toBe('abcabcabcabc');
  });

  it('refuses malformed streams instead of reading outside them', () => {
    expect(() => unsnappy(Buffer.from([0x0c, 0x08, 0x61, 0x62]))).toThrow(RangeError); // literal cut off
    expect(() => unsnappy(Buffer.from([0x0c, 0x08, 0x61, 0x62, 0x63, 0x15, 0x04]))).toThrow(RangeError); // before the start
    expect(() => unsnappy(Buffer.from([0x04, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03]))).toThrow(RangeError); // longer than said
    expect(() => unsnappy(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow(RangeError); // no length
  });
});
