import { describe, expect, it } from 'vitest';
import { decodeAssistant } from './decode-assistant.ts';

describe('decode assistant', () => {
  it('finds a word-swapped float among registers read from 40001', () => {
    // 21.5 = 41 AC 00 00, sent low word first
    const candidates = decodeAssistant({
      registers: [0x0000, 0x41ac],
      displayed: '21.5',
      table: 'holding-register',
      firstOffset: 0,
    });
    expect(candidates[0]).toMatchObject({
      dataType: 'Float',
      wordOrder: 'CDAB',
      scaling: 1,
      value: 21.5,
      address: '40001:CDAB',
    });
  });

  it('finds a scaled integer, using the display precision as tolerance', () => {
    // 2345 × 0.01 = 23.45 shown as "23.45"
    const candidates = decodeAssistant({ registers: [2345], displayed: '23.45' });
    expect(candidates.map((c) => [c.dataType, c.scaling])).toEqual([
      ['Int16', 0.01],
      ['UInt16', 0.01],
    ]);
  });

  it('finds a value in the middle of a longer read and says where it starts', () => {
    const candidates = decodeAssistant({
      registers: [0x1234, 0xfffe, 0x0000],
      displayed: -2,
      table: 'input-register',
      firstOffset: 99,
    });
    expect(candidates[0]).toMatchObject({ dataType: 'Int16', start: 1, address: '30101:ABCD', raw: -2 });
  });

  it('lists nothing when nothing fits, and refuses nonsense', () => {
    expect(decodeAssistant({ registers: [1], displayed: '7.25' })).toEqual([]);
    expect(() => decodeAssistant({ registers: [1], displayed: 'abc' })).toThrow('displayed: "abc" is not a number');
    expect(() => decodeAssistant({ registers: [70000], displayed: 1 })).toThrow('registers[0]: 70000 is not 0…65535');
    expect(() => decodeAssistant({ registers: [], displayed: 1 })).toThrow('registers: give 1…125 register values');
  });
});
