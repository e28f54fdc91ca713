// The memory of one simulated slave: the four Modbus tables, and which addresses exist (a read
// that touches an address outside them answers "illegal data address", like a real device).
import type { TagDataType } from '../../common/enums.ts';
import type { ModbusTable, ModbusTagAddress } from '../drivers/modbus/modbus-address.ts';
import { bytesOfRegisters, decodeRegisters, encodeRegisters, integerRange } from '../drivers/modbus/register-codec.ts';
import type { DriverValue } from '../drivers/driver-contract.ts';

const SIZE = 65536;

export class RegisterBank {
  readonly bits: Record<'coil' | 'discrete-input', Uint8Array> = {
    coil: new Uint8Array(SIZE),
    'discrete-input': new Uint8Array(SIZE),
  };
  readonly registers: Record<'input-register' | 'holding-register', Uint16Array> = {
    'input-register': new Uint16Array(SIZE),
    'holding-register': new Uint16Array(SIZE),
  };
  private readonly defined: Record<ModbusTable, Uint8Array> | undefined;

  /** With `everything`, every address of every table exists. */
  constructor(everything = false) {
    this.defined = everything
      ? undefined
      : {
          coil: new Uint8Array(SIZE),
          'discrete-input': new Uint8Array(SIZE),
          'input-register': new Uint8Array(SIZE),
          'holding-register': new Uint8Array(SIZE),
        };
  }

  define(table: ModbusTable, start: number, count: number): void {
    this.defined?.[table].fill(1, start, start + count);
  }

  exists(table: ModbusTable, start: number, count: number): boolean {
    if (start + count > SIZE) return false;
    const mask = this.defined?.[table];
    if (!mask) return true;
    for (let i = start; i < start + count; i++) if (mask[i] === 0) return false;
    return true;
  }

  /** Stores a value the way a device would hold it for a tag at `address` (codec encoding). */
  store(address: ModbusTagAddress, dataType: TagDataType, value: DriverValue): void {
    if (address.table === 'coil' || address.table === 'discrete-input') {
      this.bits[address.table][address.offset] = value === true || Number(value) > 0 ? 1 : 0;
      return;
    }
    const registers = this.registers[address.table];
    const words = encodeRegisters(fitValue(value, dataType), address, dataType, registers[address.offset] ?? 0);
    registers.set(words, address.offset);
  }

  /** Reads a tag's value back (the codec's decoding). */
  load(address: ModbusTagAddress, dataType: TagDataType): DriverValue {
    if (address.table === 'coil' || address.table === 'discrete-input') {
      return this.bits[address.table][address.offset] === 1;
    }
    const words = this.registers[address.table].subarray(address.offset, address.offset + address.count);
    return decodeRegisters(bytesOfRegisters([...words]), 0, address, dataType);
  }
}

/** A waveform sample made to fit the type: integers rounded and clamped, text for strings. */
function fitValue(value: DriverValue, dataType: TagDataType): DriverValue {
  if (dataType === 'String') return String(value);
  if (dataType === 'Boolean') return value === true || Number(value) > 0;
  const range = integerRange(dataType);
  if (!range || typeof value === 'bigint') return typeof value === 'boolean' ? Number(value) : value;
  const integer = BigInt(Math.round(Number(value)));
  const clamped = integer < range[0] ? range[0] : integer > range[1] ? range[1] : integer;
  return dataType === 'Int64' || dataType === 'UInt64' ? clamped : Number(clamped);
}
