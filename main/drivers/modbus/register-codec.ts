// The tag codec's register half: raw Modbus registers ⇄ a tag's typed value, in the tag's
// byte/word order. Scaling, ranges and deadbands are protocol-neutral and live in
// main/tags/engineering-value.ts.
//
// Orders name the bytes of a big-endian value A (most significant) … D, as they appear in the
// registers (each register is sent high byte first):
//   ABCD  registers in order, high byte first        (big-endian, "Modicon")
//   BADC  registers in order, bytes of each swapped   ("byte swap")
//   CDAB  registers reversed, high byte first         ("word swap": least significant word first)
//   DCBA  registers reversed, bytes swapped           (little-endian)
// 64-bit values extend the same rule to four registers (CDAB: W3 W2 W1 W0). 16-bit values only
// know AB (ABCD, CDAB) and BA (BADC, DCBA). Strings and byte arrays never reverse registers: BADC
// and DCBA swap the two bytes of every register.
import type { TagDataType } from '../../../common/enums.ts';
import type { DriverValue } from '../driver-contract.ts';
import type { ModbusTagAddress, WordOrder } from './modbus-address.ts';

export class TagEncodeError extends Error {
  override readonly name = 'TagEncodeError';
}

const INTEGER_RANGES: Partial<Record<TagDataType, readonly [bigint, bigint]>> = {
  Int8: [-128n, 127n],
  UInt8: [0n, 255n],
  Int16: [-32768n, 32767n],
  UInt16: [0n, 65535n],
  Int32: [-2147483648n, 2147483647n],
  UInt32: [0n, 4294967295n],
  Int64: [-9223372036854775808n, 9223372036854775807n],
  UInt64: [0n, 18446744073709551615n],
};

export function integerRange(dataType: TagDataType): readonly [bigint, bigint] | undefined {
  return INTEGER_RANGES[dataType];
}

/** Reorders register bytes to big-endian (and back: every order is its own inverse). */
export function reorder(bytes: Uint8Array, order: WordOrder, reverseWords = true): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const words = bytes.length >> 1;
  const reverse = reverseWords && (order === 'CDAB' || order === 'DCBA');
  const swap = order === 'BADC' || order === 'DCBA';
  for (let w = 0; w < words; w++) {
    const from = (reverse ? words - 1 - w : w) * 2;
    const hi = bytes[from] as number;
    const lo = bytes[from + 1] as number;
    out[w * 2] = swap ? lo : hi;
    out[w * 2 + 1] = swap ? hi : lo;
  }
  return out;
}

/**
 * Decodes a register tag from the bytes of a read (as on the wire, 2 per register);
 * `registerIndex` is the tag's first register within `bytes`.
 */
export function decodeRegisters(
  bytes: Uint8Array,
  registerIndex: number,
  address: ModbusTagAddress,
  dataType: TagDataType,
): DriverValue {
  const start = registerIndex * 2;
  const own = bytes.subarray(start, start + address.count * 2);
  if (own.length !== address.count * 2) {
    throw new RangeError(`the response holds ${bytes.length / 2} registers; the tag needs ${address.count}`);
  }
  switch (dataType) {
    case 'Boolean': {
      const word = ((own[0] as number) << 8) | (own[1] as number);
      return address.bit === undefined ? word !== 0 : ((word >> address.bit) & 1) === 1;
    }
    case 'Int8':
    case 'UInt8': {
      const byte = address.byte === 'high' ? (own[0] as number) : (own[1] as number);
      return dataType === 'Int8' ? (byte << 24) >> 24 : byte;
    }
    case 'String': {
      const data = reorder(own, address.wordOrder, false).subarray(0, address.length);
      const end = data.indexOf(0);
      return new TextDecoder().decode(end === -1 ? data : data.subarray(0, end));
    }
    case 'ByteArray':
      return reorder(own, address.wordOrder, false).slice(0, address.length);
    default: {
      const view = new DataView(reorder(own, address.wordOrder).buffer);
      switch (dataType) {
        case 'Int16':
          return view.getInt16(0);
        case 'UInt16':
          return view.getUint16(0);
        case 'Int32':
          return view.getInt32(0);
        case 'UInt32':
          return view.getUint32(0);
        case 'Float':
          return view.getFloat32(0);
        case 'Int64':
          return view.getBigInt64(0);
        case 'UInt64':
          return view.getBigUint64(0);
        case 'Double':
          return view.getFloat64(0);
        default:
          throw new TypeError(`${dataType} has no register encoding`);
      }
    }
  }
}

function asInteger(value: DriverValue, dataType: TagDataType): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TagEncodeError(`${String(value)} is not a whole number, which a ${dataType} tag needs`);
  }
  return BigInt(value);
}

/**
 * Encodes a value into the registers of a tag, in wire order. Bit and byte tags give the new
 * register from `current`, the register's present value (read-modify-write).
 */
export function encodeRegisters(
  value: DriverValue,
  address: ModbusTagAddress,
  dataType: TagDataType,
  current = 0,
): number[] {
  const bytes = new Uint8Array(address.count * 2);
  const view = new DataView(bytes.buffer);
  switch (dataType) {
    case 'Boolean': {
      const on = typeof value === 'boolean' ? value : Number(value) !== 0;
      if (address.bit === undefined) return [on ? 1 : 0];
      const mask = 1 << address.bit;
      return [on ? (current | mask) & 0xffff : current & ~mask & 0xffff];
    }
    case 'String':
    case 'ByteArray': {
      const data = dataType === 'String' ? new TextEncoder().encode(String(value)) : (value as Uint8Array);
      if (!(data instanceof Uint8Array)) throw new TagEncodeError('a ByteArray tag is written with bytes');
      if (data.length > (address.length ?? 0)) {
        throw new TagEncodeError(
          `${dataType === 'String' ? `"${String(value)}"` : `${data.length} bytes`} does not fit in ${address.length} bytes`,
        );
      }
      bytes.set(data); // the rest stays 0 (NUL padding)
      return wordsOf(reorder(bytes, address.wordOrder, false));
    }
    case 'Float':
    case 'Double': {
      if (typeof value !== 'number' && typeof value !== 'bigint') {
        throw new TagEncodeError(`${String(value)} is not a number`);
      }
      const number = Number(value);
      if (dataType === 'Float') {
        if (Number.isFinite(number) && !Number.isFinite(Math.fround(number))) {
          throw new TagEncodeError(`${number} is too large for a Float (32-bit)`);
        }
        view.setFloat32(0, number);
      } else {
        view.setFloat64(0, number);
      }
      return wordsOf(reorder(bytes, address.wordOrder));
    }
    default: {
      const range = INTEGER_RANGES[dataType];
      if (!range) throw new TagEncodeError(`${dataType} has no register encoding`);
      const integer = asInteger(value, dataType);
      if (integer < range[0] || integer > range[1]) {
        throw new TagEncodeError(`${integer} does not fit in ${dataType} (${range[0]}…${range[1]})`);
      }
      if (dataType === 'Int8' || dataType === 'UInt8') {
        const byte = Number(integer) & 0xff;
        return [address.byte === 'high' ? (byte << 8) | (current & 0xff) : (current & 0xff00) | byte];
      }
      if (address.count === 1) view.setUint16(0, Number(integer) & 0xffff);
      else if (address.count === 2) view.setUint32(0, Number(BigInt.asUintN(32, integer)));
      else view.setBigUint64(0, BigInt.asUintN(64, integer));
      return wordsOf(reorder(bytes, address.wordOrder));
    }
  }
}

/** Whether writing the tag replaces only part of a register (so it must be read first). */
export function needsReadModifyWrite(address: ModbusTagAddress, dataType: TagDataType): boolean {
  return (dataType === 'Boolean' && address.bit !== undefined) || dataType === 'Int8' || dataType === 'UInt8';
}

/** Register bytes (2 per register, high byte first) to register values. */
export function wordsOf(bytes: Uint8Array): number[] {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) words.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return words;
}

/** Register values (0…65535) to the bytes a read returns, for tests and the decode assistant. */
export function bytesOfRegisters(registers: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(registers.length * 2);
  registers.forEach((word, i) => {
    bytes[i * 2] = (word >> 8) & 0xff;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}
