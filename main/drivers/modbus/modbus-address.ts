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

const TABLE_BY_PREFIX: Record<string, ModbusTable> = {
  CO: 'coil',
  C: 'coil',
  DI: 'discrete-input',
  IR: 'input-register',
  HR: 'holding-register',
};

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

// base [ "." bit | ".hi" | ".lo" ] [ "[" length "]" ] [ ":" order ]
const SYNTAX = /^(?<base>[0-9A-Za-z]+?)(?:\.(?<sub>\d+|hi|lo))?(?:\[(?<length>\d+)\])?(?::(?<order>[A-Da-d]{2,4}))?$/i;

interface BaseAddress {
  table: ModbusTable;
  offset: number;
}

function parseBase(base: string): BaseAddress {
  const upper = base.toUpperCase();
  // 4x0001 / 4x1: 1-based register number in the table named by the digit
  const xForm = /^([0134])X(\d+)$/.exec(upper);
  if (xForm) {
    const number = Number(xForm[2]);
    if (number < 1 || number > 65536) {
      throw new ModbusAddressError(`${base}: the number after "${xForm[1]}x" counts from 1 and must be 1…65536`);
    }
    return { table: TABLE_BY_DIGIT[xForm[1] as string] as ModbusTable, offset: number - 1 };
  }
  // HR0 / IR0 / DI0 / CO0 / C0: 0-based protocol address as sent on the wire
  const prefixed = /^(HR|IR|DI|CO|C)(\d+)$/.exec(upper);
  if (prefixed) {
    const offset = Number(prefixed[2]);
    if (offset > 65535) throw new ModbusAddressError(`${base}: a protocol address is 0…65535`);
    return { table: TABLE_BY_PREFIX[prefixed[1] as string] as ModbusTable, offset };
  }
  // 40001 (5 digits) / 400001 (6 digits): Modicon register numbers, 1-based
  if (/^\d+$/.test(upper)) {
    if (upper.length === 5 || upper.length === 6) {
      const table = TABLE_BY_DIGIT[upper[0] as string];
      const number = Number(upper.slice(1));
      if (!table) {
        throw new ModbusAddressError(
          `${base}: a register number starts with 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)`,
        );
      }
      if (number < 1 || number > 65536) {
        throw new ModbusAddressError(`${base}: register numbers count from 1 (${upper[0]}0001 is the first)`);
      }
      return { table, offset: number - 1 };
    }
    throw new ModbusAddressError(
      `${base} is ambiguous: write 4${String(Number(upper) + 1).padStart(4, '0')} for holding register number ${Number(upper) + 1} (1-based) or HR${Number(upper)} for protocol address ${Number(upper)} (0-based)`,
    );
  }
  throw new ModbusAddressError(
    `${base} is not a Modbus address: use 40001 / 400001 (1-based), 4x0001, or HR0 / IR0 / DI0 / CO0 (0-based)`,
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
  if (!match?.groups) {
    throw new ModbusAddressError(
      `"${address}" is not a Modbus address: write e.g. 40001, 40001.3, 40010[16] or 40001:CDAB`,
    );
  }
  const { base, sub, length, order } = match.groups as Record<string, string | undefined>;
  const { table, offset } = parseBase(base as string);
  const isRegister = table === 'input-register' || table === 'holding-register';
  const wordOrder = parseOrder(order, defaultOrder);
  const result: ModbusTagAddress = { table, offset, count: 1, wordOrder };

  if (dataType === 'DateTime') {
    throw new ModbusAddressError('DateTime has no standard Modbus encoding; read the registers as integers instead');
  }
  if (!isRegister) {
    if (dataType !== 'Boolean') {
      throw new ModbusAddressError(
        `${base} is a ${table === 'coil' ? 'coil' : 'discrete input'} (one bit): only Boolean tags fit there, not ${dataType}`,
      );
    }
    if (sub || length || order) {
      throw new ModbusAddressError(`${base} is a single bit: it takes no .bit, [length] or :order suffix`);
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
        `a ${dataType} tag needs its length in bytes, e.g. ${base}[16] for 16 bytes (8 registers)`,
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
    throw new ModbusAddressError(`${base}: the tag's ${result.count} registers run past the last address (65535)`);
  }
  return result;
}

/** The canonical 1-based form an engineer reads in vendor manuals (e.g. 40001, 400100, 00017). */
export function formatModbusAddress(table: ModbusTable, offset: number): string {
  const digit = { coil: '0', 'discrete-input': '1', 'input-register': '3', 'holding-register': '4' }[table];
  const number = offset + 1;
  return `${digit}${String(number).padStart(number > 9999 ? 5 : 4, '0')}`;
}
