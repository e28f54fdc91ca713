// A Modbus RTU line: one serial port (a USB-RS485 adapter, or one end of a pty pair in tests)
// with every slave on it. Between two transactions the line stays silent for t3.5 (3.5
// character times, 1.75 ms above 19,200 baud: Modbus over serial line §2.5.1.1). When the port
// disappears (adapter unplugged) the line closes, waiting requests fail at once, and the next
// open() finds the port again when it is back.
import ModbusRTU from 'modbus-serial';
import type { SerialLineSettings } from './modbus-device-settings.ts';
import { ModbusLine } from './modbus-line.ts';
import { RtuFramedPort } from './rtu-framed-port.ts';
import { describeSerialOpenError } from './serial-port-errors.ts';
import { loadSerialPort } from './serial-port-module.ts';

/** Bits on the wire per character: start, data, parity, stop. */
export function bitsPerCharacter(settings: SerialLineSettings): number {
  return 1 + settings.dataBits + (settings.parity === 'none' ? 0 : 1) + settings.stopBits;
}

/** The inter-frame silence t3.5 in milliseconds. */
export function t35Ms(settings: SerialLineSettings): number {
  if (settings.baudRate > 19200) return 1.75;
  return (3.5 * bitsPerCharacter(settings) * 1000) / settings.baudRate;
}

export function serialLineKey(path: string): string {
  return `serial:${process.platform === 'win32' ? path.toUpperCase() : path}`;
}

export class SerialLine extends ModbusLine {
  readonly key: string;
  readonly description: string;
  private port: RtuFramedPort | undefined;

  constructor(
    readonly path: string,
    readonly settings: SerialLineSettings,
  ) {
    super();
    this.key = serialLineKey(path);
    this.description = path;
  }

  protected minimumGapMs(): number {
    return t35Ms(this.settings);
  }

  protected async openClient(): Promise<ModbusRTU> {
    const { SerialPort } = await loadSerialPort();
    const serial = new SerialPort({
      path: this.path,
      baudRate: this.settings.baudRate,
      dataBits: this.settings.dataBits,
      parity: this.settings.parity,
      stopBits: this.settings.stopBits,
      autoOpen: false,
      lock: true, // a second program on the same port is refused instead of garbling both
    });
    // A partial answer is handed on after this much silence; USB adapters may pause a frame for
    // their latency timer (16 ms on FTDI chips), so never less than 25 ms.
    const silenceMs = Math.max(25, 3 * t35Ms(this.settings));
    const port = new RtuFramedPort(serial, silenceMs, (direction, bytes) => this.traffic(direction, bytes));
    const client = new ModbusRTU(port);
    await new Promise<void>((resolve, reject) =>
      client.open((error: Error | null) => (error ? reject(describeSerialOpenError(error, this.path)) : resolve())),
    );
    // modbus-serial re-raises port errors on the client; an unhandled 'error' would crash us.
    client.on('error', (error: unknown) => this.closed(`the port failed (${(error as Error).message})`));
    port.on('close', () => this.closed('the port was closed (adapter unplugged?)'));
    this.port = port;
    return client;
  }

  protected closeTransport(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
