// The slave side of the Modbus application protocol: a request PDU in, a response PDU out, for
// FC01–06, FC15 and FC16, with the exception answers a real device gives (01 illegal function,
// 02 illegal data address, 03 illegal data value). Shared by the TCP and RTU simulators.
import type { ModbusTable } from '../drivers/modbus/modbus-address.ts';
import type { RegisterBank } from './register-bank.ts';

export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([functionCode | 0x80, code]);
}

const READ_TABLES: Record<number, ModbusTable> = {
  1: 'coil',
  2: 'discrete-input',
  3: 'holding-register',
  4: 'input-register',
};

export function handleRequest(bank: RegisterBank, pdu: Uint8Array): Buffer {
  const functionCode = pdu[0] as number;
  if (pdu.length < 5) return exceptionPdu(functionCode, 3);
  const address = ((pdu[1] as number) << 8) | (pdu[2] as number);
  const quantity = ((pdu[3] as number) << 8) | (pdu[4] as number);
  switch (functionCode) {
    case 1:
    case 2: {
      if (quantity < 1 || quantity > 2000) return exceptionPdu(functionCode, 3);
      const table = READ_TABLES[functionCode] as 'coil' | 'discrete-input';
      if (!bank.exists(table, address, quantity)) return exceptionPdu(functionCode, 2);
      const bytes = Math.ceil(quantity / 8);
      const response = Buffer.alloc(2 + bytes);
      response[0] = functionCode;
      response[1] = bytes;
      const bits = bank.bits[table];
      for (let i = 0; i < quantity; i++) {
        if (bits[address + i]) response[2 + (i >> 3)] = (response[2 + (i >> 3)] as number) | (1 << (i & 7));
      }
      return response;
    }
    case 3:
    case 4: {
      if (quantity < 1 || quantity > 125) return exceptionPdu(functionCode, 3);
      const table = READ_TABLES[functionCode] as 'holding-register' | 'input-register';
      if (!bank.exists(table, address, quantity)) return exceptionPdu(functionCode, 2);
      const response = Buffer.allocUnsafe(2 + quantity * 2);
      response[0] = functionCode;
      response[1] = quantity * 2;
      const registers = bank.registers[table];
      for (let i = 0; i < quantity; i++) response.writeUInt16BE(registers[address + i] as number, 2 + i * 2);
      return response;
    }
    case 5: {
      // the "quantity" field is the output value: FF00 on, 0000 off
      if (quantity !== 0xff00 && quantity !== 0) return exceptionPdu(functionCode, 3);
      if (!bank.exists('coil', address, 1)) return exceptionPdu(functionCode, 2);
      bank.bits.coil[address] = quantity === 0xff00 ? 1 : 0;
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 6: {
      if (!bank.exists('holding-register', address, 1)) return exceptionPdu(functionCode, 2);
      bank.registers['holding-register'][address] = quantity;
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 15: {
      const byteCount = pdu[5] ?? 0;
      if (quantity < 1 || quantity > 1968 || byteCount !== Math.ceil(quantity / 8) || pdu.length < 6 + byteCount) {
        return exceptionPdu(functionCode, 3);
      }
      if (!bank.exists('coil', address, quantity)) return exceptionPdu(functionCode, 2);
      for (let i = 0; i < quantity; i++) {
        bank.bits.coil[address + i] = ((pdu[6 + (i >> 3)] as number) >> (i & 7)) & 1;
      }
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 16: {
      const byteCount = pdu[5] ?? 0;
      if (quantity < 1 || quantity > 123 || byteCount !== quantity * 2 || pdu.length < 6 + byteCount) {
        return exceptionPdu(functionCode, 3);
      }
      if (!bank.exists('holding-register', address, quantity)) return exceptionPdu(functionCode, 2);
      const registers = bank.registers['holding-register'];
      for (let i = 0; i < quantity; i++) {
        registers[address + i] = ((pdu[6 + i * 2] as number) << 8) | (pdu[7 + i * 2] as number);
      }
      return Buffer.from(pdu.subarray(0, 5));
    }
    default:
      return exceptionPdu(functionCode, 1);
  }
}

/** The length of a request PDU once its first bytes are known, or undefined for unknown codes. */
export function requestPduLength(pdu: Uint8Array): number | undefined {
  switch (pdu[0]) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return 5;
    case 15:
    case 16:
      return pdu.length < 6 ? Number.POSITIVE_INFINITY : 6 + (pdu[5] as number);
    default:
      return undefined;
  }
}
