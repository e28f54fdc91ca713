// The worked examples of the README ("Modbus tag addresses" and "Byte and word orders"): each
// register pattern is written out by hand from the value's IEEE 754 / two's complement bytes
// (checked with Python's struct module), not produced by the encoder under test.
import { describe, expect, it } from 'vitest';
import type { TagDataType } from '../../../common/enums.ts';
import { parseModbusAddress, type WordOrder } from './modbus-address.ts';
import { bytesOfRegisters, decodeRegisters, encodeRegisters, TagEncodeError } from './register-codec.ts';

interface Example {
  dataType: TagDataType;
  address: string;
  registers: number[];
  value: boolean | number | bigint | string | Uint8Array;
}

const EXAMPLES: Example[] = [
  { dataType: 'Boolean', address: '40001.3', registers: [0x0008], value: true },
  { dataType: 'Boolean', address: '40001', registers: [0x0000], value: false },
  { dataType: 'Int8', address: '40001.lo', registers: [0x00fe], value: -2 },
  { dataType: 'UInt8', address: '40001.hi', registers: [0xc800], value: 200 },
  { dataType: 'Int16', address: '40001', registers: [0xfffe], value: -2 },
  { dataType: 'Int16', address: '40001:BA', registers: [0xfeff], value: -2 },
  { dataType: 'UInt16', address: '40001', registers: [0xea60], value: 60000 },
  // Int32 −123456789 = F8 A4 32 EB
  { dataType: 'Int32', address: '40001', registers: [0xf8a4, 0x32eb], value: -123456789 },
  { dataType: 'Int32', address: '40001:CDAB', registers: [0x32eb, 0xf8a4], value: -123456789 },
  // UInt32 3,000,000,000 = B2 D0 5E 00
  { dataType: 'UInt32', address: '40001:BADC', registers: [0xd0b2, 0x005e], value: 3000000000 },
  { dataType: 'UInt32', address: '40001:DCBA', registers: [0x005e, 0xd0b2], value: 3000000000 },
  // Float 123.456 = 42 F6 E9 79
  { dataType: 'Float', address: '40001:ABCD', registers: [0x42f6, 0xe979], value: Math.fround(123.456) },
  { dataType: 'Float', address: '40001:BADC', registers: [0xf642, 0x79e9], value: Math.fround(123.456) },
  { dataType: 'Float', address: '40001:CDAB', registers: [0xe979, 0x42f6], value: Math.fround(123.456) },
  { dataType: 'Float', address: '40001:DCBA', registers: [0x79e9, 0xf642], value: Math.fround(123.456) },
  // Int64 −1234567890123456789 = EE DD EF 0B 82 16 7E EB
  {
    dataType: 'Int64',
    address: '40001',
    registers: [0xeedd, 0xef0b, 0x8216, 0x7eeb],
    value: -1234567890123456789n,
  },
  {
    dataType: 'Int64',
    address: '40001:CDAB',
    registers: [0x7eeb, 0x8216, 0xef0b, 0xeedd],
    value: -1234567890123456789n,
  },
  // UInt64 12345678901234567890 = AB 54 A9 8C EB 1F 0A D2
  {
    dataType: 'UInt64',
    address: '40001:BADC',
    registers: [0x54ab, 0x8ca9, 0x1feb, 0xd20a],
    value: 12345678901234567890n,
  },
  // Double π = 40 09 21 FB 54 44 2D 18
  { dataType: 'Double', address: '40001', registers: [0x4009, 0x21fb, 0x5444, 0x2d18], value: Math.PI },
  { dataType: 'Double', address: '40001:DCBA', registers: [0x182d, 0x4454, 0xfb21, 0x0940], value: Math.PI },
  { dataType: 'String', address: '40001[6]', registers: [0x4142, 0x3132, 0x3300], value: 'AB123' },
  { dataType: 'String', address: '40001[6]:BADC', registers: [0x4241, 0x3231, 0x0033], value: 'AB123' },
  { dataType: 'ByteArray', address: '40001[3]', registers: [0x0102, 0x0300], value: new Uint8Array([1, 2, 3]) },
];

describe('register codec', () => {
  it.each(EXAMPLES)('$dataType at $address ⇄ $registers', ({ dataType, address, registers, value }) => {
    const parsed = parseModbusAddress(address, dataType);
    expect(decodeRegisters(bytesOfRegisters(registers), 0, parsed, dataType)).toEqual(value);
    const current = parsed.bit !== undefined || parsed.byte ? registers[0] : 0;
    expect(encodeRegisters(value, parsed, dataType, current)).toEqual(registers);
  });

  it('decodes a tag in the middle of a block read', () => {
    const block = bytesOfRegisters([0x1111, 0x42f6, 0xe979, 0x2222]);
    expect(decodeRegisters(block, 1, parseModbusAddress('40002', 'Float'), 'Float')).toBeCloseTo(123.456, 3);
  });

  it('changes only its own bit or byte of a register', () => {
    expect(encodeRegisters(false, parseModbusAddress('40001.0', 'Boolean'), 'Boolean', 0xffff)).toEqual([0xfffe]);
    expect(encodeRegisters(true, parseModbusAddress('40001.15', 'Boolean'), 'Boolean', 0x0001)).toEqual([0x8001]);
    expect(encodeRegisters(0x12, parseModbusAddress('40001.lo', 'UInt8'), 'UInt8', 0xabcd)).toEqual([0xab12]);
  });

  it.each([
    [70000, 'Int16', '40001', /70000 does not fit in Int16 \(-32768…32767\)/],
    [-1, 'UInt32', '40001', /does not fit in UInt32/],
    [1.5, 'Int32', '40001', /not a whole number/],
    [1e40, 'Float', '40001', /too large for a Float/],
    ['too long text', 'String', '40001[4]', /does not fit in 4 bytes/],
  ] as const)('refuses to encode %s as %s', (value, dataType, address, message) => {
    const parsed = parseModbusAddress(address, dataType as TagDataType);
    expect(() => encodeRegisters(value, parsed, dataType as TagDataType)).toThrow(TagEncodeError);
    expect(() => encodeRegisters(value, parsed, dataType as TagDataType)).toThrow(message);
  });

  it('round-trips every order of every multi-register type', () => {
    const orders: WordOrder[] = ['ABCD', 'BADC', 'CDAB', 'DCBA'];
    const values: Array<[TagDataType, number | bigint]> = [
      ['Int32', -2],
      ['UInt32', 4294967295],
      ['Float', 0.5],
      ['Int64', -9223372036854775808n],
      ['UInt64', 1n],
      ['Double', -0.1],
    ];
    for (const order of orders) {
      for (const [dataType, value] of values) {
        const parsed = parseModbusAddress(`40001:${order}`, dataType);
        const words = encodeRegisters(value, parsed, dataType);
        expect(decodeRegisters(bytesOfRegisters(words), 0, parsed, dataType)).toEqual(value);
      }
    }
  });
});
