// The Modbus tag address syntax (documented in the README, "Modbus tag addresses"). One parser
// turns what an engineer types — the vendor's 40001 form, the 4x form or a 0-based HR0 form — into
// the table, 0-based protocol offset and register/bit count the planner and the codec work with.
import type { TagDataType } from '../../../common/enums.ts';

export type ModbusTable = 'coil' | 'discrete-input' | 'input-register' | 'holding-register';
export type WordOrder = 'ABCD' | 'BADC' | 'CDAB' | 'DCBA';
export const WORD_ORDERS: readonly WordOrder[] = ['ABCD', 'BADC', 'CDAB', 'DCBA'];

export interface ModbusTagAddress {
  table: ModbusTable;
  /** 0-based protocol address of the first register or bit */
  offset: number;
  /** registers (register tables) or bits (coils, discrete inputs) the tag occupies */
  count: number;
  /** bit 0 (least significant) … 15 of a register, for Boolean tags on registers */
  bit?: number;
  /** which byte of the register an Int8/UInt8 tag is */
  byte?: 'high' | 'low';
  /** bytes of a String or ByteArray tag */
  length?: number;
  wordOrder: WordOrder;
}

export class ModbusAddressError extends Error {
  override readonly name = 'ModbusAddressError';
}

/** Read function code of each table. */
export const READ_FUNCTION: Record<ModbusTable, 1 | 2 | 3 | 4> = {
  coil: 1,
  'discrete-input': 2,
  'input-register': 4,
  'holding-register': 3,
};

const TABLE_BY_DIGIT: Record<string, ModbusTable> = {
  '0': 'coil',
  '1': 'discrete-input',
  '3': 'input-register',
  '4': 'holding-register',
};

/** HR, IR, DI, CO or C in any case (the syntax has already matched one of them). */
function tableOfPrefix(prefix: string): ModbusTable {
  switch (prefix.charCodeAt(0) | 0x20) {
    case 0x68: // h
      return 'holding-register';
    case 0x69: // i
      return 'input-register';
    case 0x64: // d
      return 'discrete-input';
    default:
      return 'coil';
  }
}

/** Registers taken by each fixed-size type (String and ByteArray depend on their length). */
const REGISTERS: Partial<Record<TagDataType, number>> = {
  Boolean: 1,
  Int8: 1,
  UInt8: 1,
  Int16: 1,
  UInt16: 1,
  Int32: 2,
  UInt32: 2,
  Float: 2,
  Int64: 4,
  UInt64: 4,
  Double: 4,
};

export const MAX_STRING_BYTES = 250; // 125 registers: one read

// One pass over the whole address (planning 10,000 tags must take milliseconds):
//   1: 4x-form digit, 2: its 1-based number | 3: HR/IR/DI/CO/C, 4: 0-based address | 5: digits only
//   6: .bit / .hi / .lo   7: [length]   8: :order
const SYNTAX = /^(?:([0134])x(\d+)|(HR|IR|DI|CO|C)(\d+)|(\d+))(?:\.(\d+|hi|lo))?(?:\[(\d+)\])?(?::([A-D]{2,4}))?$/i;

/** The address without its suffixes, for messages. */
function baseOf(text: string): string {
  return text.replace(/[.[:].*$/, '');
}

interface BaseAddress {
  table: ModbusTable;
  offset: number;
}

function parseBase(match: RegExpExecArray): BaseAddress {
  const digit = match[1];
  const xNumber = match[2];
  const prefix = match[3];
  const prefixed = match[4];
  const digits = match[5];
  if (digit !== undefined) {
    // 4x0001 / 4x1: 1-based register number in the table named by the digit
    const number = Number(xNumber);
    if (number < 1 || number > 65536) {
      throw new ModbusAddressError(
        `${digit}x${xNumber}: the number after "${digit}x" counts from 1 and must be 1…65536`,
      );
    }
    return { table: TABLE_BY_DIGIT[digit] as ModbusTable, offset: number - 1 };
  }
  if (prefix !== undefined) {
    // HR0 / IR0 / DI0 / CO0 / C0: 0-based protocol address as sent on the wire
    const offset = Number(prefixed);
    if (offset > 65535) throw new ModbusAddressError(`${prefix}${prefixed}: a protocol address is 0…65535`);
    return { table: tableOfPrefix(prefix), offset };
  }
  // 40001 (5 digits) / 400001 (6 digits): Modicon register numbers, 1-based
  const text = digits as string;
  if (text.length === 5 || text.length === 6) {
    const table = TABLE_BY_DIGIT[text[0] as string];
    const number = Number(text.slice(1));
    if (!table) {
      throw new ModbusAddressError(
        `${text}: a register number starts with 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)`,
      );
    }
    if (number < 1 || number > 65536) {
      throw new ModbusAddressError(`${text}: register numbers count from 1 (${text[0]}0001 is the first)`);
    }
    return { table, offset: number - 1 };
  }
  const number = Number(text);
  throw new ModbusAddressError(
    `${text} is ambiguous: write 4${String(number + 1).padStart(4, '0')} for holding register number ${number + 1} (1-based) or HR${number} for protocol address ${number} (0-based)`,
  );
}

function parseOrder(text: string | undefined, fallback: WordOrder): WordOrder {
  if (!text) return fallback;
  const order = text.toUpperCase();
  if (order === 'AB') return 'ABCD';
  if (order === 'BA') return 'BADC';
  if ((WORD_ORDERS as readonly string[]).includes(order)) return order as WordOrder;
  throw new ModbusAddressError(
    `:${text} is not a byte/word order; use ABCD, BADC, CDAB or DCBA (AB or BA for 16 bits)`,
  );
}

/**
 * Parses a tag address for a tag of `dataType`. Throws ModbusAddressError with a sentence that
 * says what is wrong and what to write instead.
 */
export function parseModbusAddress(
  address: string,
  dataType: TagDataType,
  defaultOrder: WordOrder = 'ABCD',
): ModbusTagAddress {
  const text = address.trim();
  const match = SYNTAX.exec(text);
  if (!match) {
    throw new ModbusAddressError(
      `"${address}" is not a Modbus address: write e.g. 40001, 4x0001, HR0, 40001.3, 40010[16] or 40001:CDAB`,
    );
  }
  const sub = match[6];
  const length = match[7];
  const order = match[8];
  const { table, offset } = parseBase(match);
  const isRegister = table === 'input-register' || table === 'holding-register';
  const wordOrder = parseOrder(order, defaultOrder);
  const result: ModbusTagAddress = { table, offset, count: 1, wordOrder };

  if (dataType === 'DateTime') {
    throw new ModbusAddressError('DateTime has no standard Modbus encoding; read the registers as integers instead');
  }
  if (!isRegister) {
    if (dataType !== 'Boolean') {
      throw new ModbusAddressError(
        `${baseOf(text)} is a ${table === 'coil' ? 'coil' : 'discrete input'} (one bit): only Boolean tags fit there, not ${dataType}`,
      );
    }
    if (sub || length || order) {
      throw new ModbusAddressError(`${baseOf(text)} is a single bit: it takes no .bit, [length] or :order suffix`);
    }
    return result;
  }

  if (sub !== undefined) {
    const lower = sub.toLowerCase();
    if (lower === 'hi' || lower === 'lo') {
      if (dataType !== 'Int8' && dataType !== 'UInt8') {
        throw new ModbusAddressError(`.${sub} picks a byte and only applies to Int8 and UInt8 tags`);
      }
      result.byte = lower === 'hi' ? 'high' : 'low';
    } else {
      if (dataType !== 'Boolean') {
        throw new ModbusAddressError(`.${sub} picks a bit and only applies to Boolean tags`);
      }
      const bit = Number(sub);
      if (bit > 15) throw new ModbusAddressError(`.${sub}: a register has bits 0…15`);
      result.bit = bit;
    }
  } else if (dataType === 'Int8' || dataType === 'UInt8') {
    result.byte = 'low';
  }

  if (dataType === 'String' || dataType === 'ByteArray') {
    if (!length) {
      throw new ModbusAddressError(
        `a ${dataType} tag needs its length in bytes, e.g. ${baseOf(text)}[16] for 16 bytes (8 registers)`,
      );
    }
    const bytes = Number(length);
    if (bytes < 1 || bytes > MAX_STRING_BYTES) {
      throw new ModbusAddressError(`[${length}]: a ${dataType} is 1…${MAX_STRING_BYTES} bytes (one read)`);
    }
    result.length = bytes;
    result.count = Math.ceil(bytes / 2);
  } else {
    if (length) throw new ModbusAddressError(`[${length}]: only String and ByteArray tags take a length`);
    result.count = REGISTERS[dataType] ?? 1;
  }

  if (offset + result.count > 65536) {
    throw new ModbusAddressError(
      `${baseOf(text)}: the tag's ${result.count} registers run past the last address (65535)`,
    );
  }
  return result;
}

/** The canonical 1-based form an engineer reads in vendor manuals (e.g. 40001, 400100, 00017). */
export function formatModbusAddress(table: ModbusTable, offset: number): string {
  const digit = { coil: '0', 'discrete-input': '1', 'input-register': '3', 'holding-register': '4' }[table];
  const number = offset + 1;
  return `${digit}${String(number).padStart(number > 9999 ? 5 : 4, '0')}`;
}
