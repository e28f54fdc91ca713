// The simulator's Modbus RTU slave side on a serial port (a real one, or one end of a pty pair).
// Requests are framed by their length (a pty delivers bytes without timing), frames with a bad
// CRC or for other unit ids are ignored as a slave on a shared line must, and unit 0 (broadcast)
// is executed without an answer.
//
// A pty ignores the baud rate, so the optional wire-timing model makes each answer arrive when it
// would on a real line: the request's and the response's bytes × 11 bits / baud, plus the t3.5
// gap, plus the slave's response time, counted from the request's arrival.
import type { SerialPort } from 'serialport';
import crc16 from 'modbus-serial/utils/crc16.js';
import { loadSerialPort } from '../drivers/modbus/serial-port-module.ts';
import { requestPduLength } from './modbus-request-handler.ts';
import type { SimulatedSlave } from './simulated-slave.ts';

export interface WireTiming {
  baudRate: number;
  /** the slave's processing time before it starts to answer */
  responseTimeMs: number;
}

export interface ModbusRtuServer {
  path: string;
  close(): Promise<void>;
}

const BITS_PER_CHARACTER = 11;

/** t3.5 in ms with 11-bit characters; 1.75 ms above 19,200 baud (Modbus over serial line §2.5.1.1). */
export function wireT35Ms(baudRate: number): number {
  return baudRate > 19200 ? 1.75 : (3.5 * BITS_PER_CHARACTER * 1000) / baudRate;
}

/** How long a transaction of these frame sizes keeps the line busy, in ms. */
export function transactionWireMs(requestBytes: number, responseBytes: number, timing: WireTiming): number {
  return (
    ((requestBytes + responseBytes) * BITS_PER_CHARACTER * 1000) / timing.baudRate +
    wireT35Ms(timing.baudRate) +
    timing.responseTimeMs
  );
}

export function withCrc(frame: Buffer): Buffer {
  const out = Buffer.allocUnsafe(frame.length + 2);
  frame.copy(out);
  out.writeUInt16LE(crc16(frame), frame.length);
  return out;
}

export async function startModbusRtuServer(
  slaves: ReadonlyMap<number, SimulatedSlave>,
  options: { path: string; baudRate?: number; wireTiming?: WireTiming },
): Promise<ModbusRtuServer> {
  const { SerialPort } = await loadSerialPort();
  const port: SerialPort = new SerialPort({
    path: options.path,
    baudRate: options.wireTiming?.baudRate ?? options.baudRate ?? 19200,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  port.on('error', () => undefined); // the master side vanished: nothing to answer any more
  let pending: Buffer = Buffer.alloc(0);
  let arrivedAt = 0;
  port.on('data', (chunk: Buffer) => {
    if (pending.length === 0) arrivedAt = performance.now();
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (pending.length < 4) return;
      const pduLength = requestPduLength(pending.subarray(1));
      if (pduLength === undefined) {
        pending = Buffer.alloc(0); // an unknown function: resynchronise on the next frame
        return;
      }
      const frameLength = 1 + pduLength + 2;
      if (pending.length < frameLength) return;
      const frame = pending.subarray(0, frameLength);
      pending = pending.subarray(frameLength);
      const at = arrivedAt;
      arrivedAt = performance.now();
      const valid = crc16(frame.subarray(0, frameLength - 2)) === frame.readUInt16LE(frameLength - 2);
      if (!valid) {
        pending = Buffer.alloc(0);
        return;
      }
      answer(port, slaves, frame, at, options.wireTiming);
    }
  });
  return {
    path: options.path,
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

function answer(
  port: SerialPort,
  slaves: ReadonlyMap<number, SimulatedSlave>,
  frame: Buffer,
  arrivedAt: number,
  timing: WireTiming | undefined,
): void {
  const unitId = frame[0] as number;
  const pdu = frame.subarray(1, frame.length - 2);
  if (unitId === 0) {
    for (const slave of slaves.values()) slave.respond(pdu); // broadcast: execute, never answer
    return;
  }
  const slave = slaves.get(unitId);
  if (!slave) return; // not ours: another slave on the line (or nobody) answers
  const response = slave.respond(pdu);
  if (!response) return;
  const out = withCrc(Buffer.concat([Buffer.from([unitId]), response]));
  if (slave.faults.corruptCrc) out[out.length - 1] = (out[out.length - 1] as number) ^ 0xff;
  const due =
    arrivedAt +
    (timing ? transactionWireMs(frame.length, out.length, timing) : 0) +
    (slave.faults.responseDelayMs ?? 0);
  const wait = due - performance.now();
  const send = () => {
    if (port.isOpen) port.write(out);
  };
  if (wait > 0.5) setTimeout(send, wait);
  else send();
}
