// The port object modbus-serial's ModbusRTU talks to on a serial line: it writes request frames
// and hands back one response frame per request. We use it instead of modbus-serial's
// RTUBufferedPort because that one keeps leftover bytes across requests (a late answer from a
// slow slave can be taken as the answer to the next request) and waits for the full expected
// length forever (a short, malformed answer becomes a timeout). Here every request starts with an
// empty buffer, a frame is handed on as soon as it is complete, and whatever arrived is handed on
// after a silence so that modbus-serial reports it as a CRC or length error.
import { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import crc16 from 'modbus-serial/utils/crc16.js';

const EXCEPTION_FRAME_LENGTH = 5;

/** Length of the normal answer to a request frame (address, function, data, CRC). */
export function expectedResponseLength(request: Uint8Array): number | undefined {
  const functionCode = request[1];
  const quantity = ((request[4] as number) << 8) | (request[5] as number);
  switch (functionCode) {
    case 1:
    case 2:
      return 5 + Math.ceil(quantity / 8);
    case 3:
    case 4:
      return 5 + 2 * quantity;
    case 5:
    case 6:
    case 15:
    case 16:
      return 8;
    default:
      return undefined;
  }
}

export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = (frame[frame.length - 2] as number) | ((frame[frame.length - 1] as number) << 8);
  return crc16(frame.subarray(0, frame.length - 2)) === crc;
}

interface Expectation {
  unitId: number;
  functionCode: number;
  length: number | undefined;
}

export class RtuFramedPort extends EventEmitter {
  // modbus-serial keys its transactions by these; a serial line has one transaction at a time.
  _transactionIdRead = 1;
  _transactionIdWrite = 1;
  private buffer: Buffer = Buffer.alloc(0);
  private expecting: Expectation | undefined;
  private silence: NodeJS.Timeout | undefined;

  constructor(
    private readonly serial: SerialPort,
    /** how long the line must stay quiet before a partial answer is handed on as is */
    private readonly silenceMs: number,
    private readonly onTraffic: (direction: 'tx' | 'rx', bytes: Uint8Array) => void,
  ) {
    super();
    serial.on('data', (chunk: Buffer) => this.receive(chunk));
    serial.on('error', (error: Error) => this.emit('error', error));
    serial.on('close', () => this.emit('close'));
  }

  get isOpen(): boolean {
    return this.serial.isOpen;
  }

  open(callback: (error?: Error | null) => void): void {
    this.serial.open(callback);
  }

  close(callback: (error?: Error | null) => void = () => undefined): void {
    clearTimeout(this.silence);
    if (!this.serial.isOpen) return callback(null);
    this.serial.close(callback);
  }

  destroy(): void {
    this.close();
  }

  write(frame: Buffer): void {
    clearTimeout(this.silence);
    this.buffer = Buffer.alloc(0);
    this.expecting = {
      unitId: frame[0] as number,
      functionCode: frame[1] as number,
      length: expectedResponseLength(frame),
    };
    this.onTraffic('tx', frame);
    // a failed write also raises 'error' on the port, which closes the line
    this.serial.write(frame, () => undefined);
  }

  private receive(chunk: Buffer): void {
    if (!this.expecting) return; // nobody asked: noise, or the tail of an answer already handed on
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frame = this.completeFrame(this.expecting);
    if (frame) {
      this.deliver(frame);
      return;
    }
    clearTimeout(this.silence);
    this.silence = setTimeout(() => this.deliver(this.buffer), this.silenceMs);
  }

  /** The first complete, CRC-valid answer from the addressed slave in the buffer, if any. */
  private completeFrame({ unitId, functionCode, length }: Expectation): Buffer | undefined {
    const buffer = this.buffer;
    for (let i = 0; i + EXCEPTION_FRAME_LENGTH <= buffer.length; i++) {
      if (buffer[i] !== unitId) continue;
      const code = buffer[i + 1];
      const size = code === functionCode ? length : code === (functionCode | 0x80) ? EXCEPTION_FRAME_LENGTH : undefined;
      if (size === undefined || i + size > buffer.length) continue;
      const frame = buffer.subarray(i, i + size);
      if (hasValidCrc(frame)) return frame;
    }
    return undefined;
  }

  private deliver(frame: Buffer): void {
    clearTimeout(this.silence);
    this.expecting = undefined;
    this.buffer = Buffer.alloc(0);
    if (frame.length === 0) return;
    this.onTraffic('rx', frame);
    this.emit('data', frame);
  }
}
