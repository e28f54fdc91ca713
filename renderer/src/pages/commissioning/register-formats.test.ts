// The panel's side-by-side formats agree with the tag codec the drivers use, for every word order.
import { describe, expect, it } from 'vitest';
import { parseModbusAddress } from '../../../../main/drivers/modbus/modbus-address.ts';
import { bytesOfRegisters, decodeRegisters } from '../../../../main/drivers/modbus/register-codec.ts';
import { formatFloat, pairFormats, parseRegisters, registerFormats } from './register-formats.ts';

describe('register formats', () => {
  it('shows one register as unsigned, signed, hex and binary', () => {
    expect(registerFormats(0xfff6)).toEqual({
      unsigned: 65526,
      signed: -10,
      hex: '0xFFF6',
      binary: '1111 1111 1111 0110',
    });
    expect(registerFormats(250)).toMatchObject({ signed: 250, hex: '0x00FA' });
  });

  it('decodes a register pair like the tag codec in every word order', () => {
    const samples: Array<[number, number]> = [
      [0x4248, 0x0000],
      [0x0000, 0x4248],
      [0xc2f6, 0xe979],
      [0xffff, 0xfffe],
      [0x1234, 0x5678],
    ];
    for (const [first, second] of samples) {
      const bytes = bytesOfRegisters([first, second]);
      for (const pair of pairFormats(first, second)) {
        const decode = (type: 'Float' | 'Int32' | 'UInt32') =>
          decodeRegisters(bytes, 0, parseModbusAddress(`40001:${pair.order}`, type), type);
        expect(pair.float32, `${first},${second} ${pair.order}`).toBe(Math.fround(decode('Float') as number));
        expect(pair.int32).toBe(Number(decode('Int32')));
        expect(pair.uint32).toBe(Number(decode('UInt32')));
      }
    }
    expect(pairFormats(0x0000, 0x4248).find((p) => p.order === 'CDAB')?.float32).toBe(50);
  });

  it('formats floats the way a display shows them', () => {
    expect(formatFloat(Math.fround(21.5))).toBe('21.5');
    expect(formatFloat(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat(1.5e12)).toBe('1.5000e+12');
    expect(formatFloat(Number.NaN)).toBe('NaN');
  });

  it('reads registers typed as decimal, negative, hex words or raw bytes', () => {
    expect(parseRegisters('16968, 0; -10\n0x00FA')).toEqual({ ok: true, registers: [16968, 0, 65526, 250] });
    expect(parseRegisters('42 48 00 00', { bytes: true })).toEqual({ ok: true, registers: [0x4248, 0] });
    expect(parseRegisters('0x42480000', { bytes: true })).toEqual({ ok: true, registers: [0x4248, 0] });
    expect(parseRegisters('42 48 00', { bytes: true })).toEqual({ ok: false, problem: 'odd' });
    expect(parseRegisters('12 abc')).toEqual({ ok: false, problem: 'bad', token: 'abc' });
    expect(parseRegisters('70000')).toEqual({ ok: false, problem: 'bad', token: '70000' });
    expect(parseRegisters('  ')).toEqual({ ok: false, problem: 'empty' });
    expect(parseRegisters(Array(126).fill('1').join(' '))).toEqual({ ok: false, problem: 'tooMany' });
  });
});
