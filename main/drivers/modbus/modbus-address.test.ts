import { describe, expect, it } from 'vitest';
import type { TagDataType } from '../../../common/enums.ts';
import { formatModbusAddress, parseModbusAddress } from './modbus-address.ts';

describe('Modbus tag addresses', () => {
  it.each([
    ['40001', 'Int16', { table: 'holding-register', offset: 0, count: 1 }],
    ['400001', 'Int16', { table: 'holding-register', offset: 0, count: 1 }],
    ['465536', 'UInt16', { table: 'holding-register', offset: 65535, count: 1 }],
    ['4x0001', 'Int16', { table: 'holding-register', offset: 0, count: 1 }],
    ['4x1', 'Int16', { table: 'holding-register', offset: 0, count: 1 }],
    ['HR0', 'Int16', { table: 'holding-register', offset: 0, count: 1 }],
    ['hr99', 'Float', { table: 'holding-register', offset: 99, count: 2 }],
    ['30010', 'Float', { table: 'input-register', offset: 9, count: 2 }],
    ['3x0010', 'Double', { table: 'input-register', offset: 9, count: 4 }],
    ['IR9', 'UInt64', { table: 'input-register', offset: 9, count: 4 }],
    ['00017', 'Boolean', { table: 'coil', offset: 16, count: 1 }],
    ['0x17', 'Boolean', { table: 'coil', offset: 16, count: 1 }],
    ['CO16', 'Boolean', { table: 'coil', offset: 16, count: 1 }],
    ['C16', 'Boolean', { table: 'coil', offset: 16, count: 1 }],
    ['10001', 'Boolean', { table: 'discrete-input', offset: 0, count: 1 }],
    ['DI0', 'Boolean', { table: 'discrete-input', offset: 0, count: 1 }],
  ] as const)('%s as %s', (address, dataType, expected) => {
    expect(parseModbusAddress(address, dataType as TagDataType)).toMatchObject(expected);
  });

  it('takes a bit, a byte, a length and an order', () => {
    expect(parseModbusAddress('40001.15', 'Boolean')).toMatchObject({ bit: 15, count: 1 });
    expect(parseModbusAddress('40001.hi', 'Int8')).toMatchObject({ byte: 'high' });
    expect(parseModbusAddress('40001', 'UInt8')).toMatchObject({ byte: 'low' });
    expect(parseModbusAddress('40010[16]', 'String')).toMatchObject({ offset: 9, length: 16, count: 8 });
    expect(parseModbusAddress('40010[5]:BADC', 'ByteArray')).toMatchObject({ length: 5, count: 3, wordOrder: 'BADC' });
    expect(parseModbusAddress('40001:cdab', 'Float')).toMatchObject({ wordOrder: 'CDAB' });
    expect(parseModbusAddress('40001:BA', 'Int16')).toMatchObject({ wordOrder: 'BADC' });
    expect(parseModbusAddress(' 40001 ', 'Float', 'DCBA')).toMatchObject({ wordOrder: 'DCBA' });
  });

  it.each([
    ['123', 'Int16', /ambiguous: write 40124 .* or HR123/],
    ['50001', 'Int16', /starts with 0 \(coil\), 1 \(discrete input\), 3 \(input register\) or 4/],
    ['40000', 'Int16', /count from 1 \(40001 is the first\)/],
    ['4x0', 'Int16', /counts from 1/],
    ['HR65536', 'Int16', /0…65535/],
    ['465536', 'Float', /run past the last address/],
    ['00001', 'Int16', /only Boolean tags fit there, not Int16/],
    ['00001.3', 'Boolean', /takes no \.bit/],
    ['40001.16', 'Boolean', /bits 0…15/],
    ['40001.3', 'Int16', /only applies to Boolean/],
    ['40001.hi', 'Int16', /only applies to Int8 and UInt8/],
    ['40001', 'String', /needs its length in bytes, e.g. 40001\[16\]/],
    ['40001[300]', 'String', /1…250 bytes/],
    ['40001[4]', 'Int32', /only String and ByteArray/],
    ['40001:ABDC', 'Float', /not a byte\/word order/],
    ['40001', 'DateTime', /no standard Modbus encoding/],
    ['PLC!40001', 'Int16', /not a Modbus address/],
  ] as const)('refuses %s as %s', (address, dataType, message) => {
    expect(() => parseModbusAddress(address, dataType as TagDataType)).toThrow(message);
  });

  it('formats 1-based numbers as manuals print them', () => {
    expect(formatModbusAddress('holding-register', 0)).toBe('40001');
    expect(formatModbusAddress('holding-register', 9999)).toBe('410000');
    expect(formatModbusAddress('coil', 16)).toBe('00017');
    expect(formatModbusAddress('input-register', 9)).toBe('30010');
  });
});
