// modbus-serial's CRC-16/MODBUS, which it ships untyped; the RTU port and simulator use it too.
declare module 'modbus-serial/utils/crc16.js' {
  export default function crc16(bytes: Uint8Array): number;
}
