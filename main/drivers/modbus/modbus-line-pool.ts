// Lines shared by devices: all slaves on one serial port, all unit ids behind one host:port use
// one line, so their requests take turns. The running drivers and the commissioning tools use the
// same pool, so a one-off read never collides with a poll on the wire.
import { DriverError } from '../driver-contract.ts';
import type { ModbusDeviceSettings } from './modbus-device-settings.ts';
import type { ModbusLine } from './modbus-line.ts';
import { SerialLine, serialLineKey } from './serial-line.ts';
import { TcpLine, tcpLineKey } from './tcp-line.ts';

interface Entry {
  line: ModbusLine;
  users: number;
  /** the settings the line was opened with, and the device that chose them */
  signature: string;
  owner: string;
}

export class ModbusLinePool {
  private readonly entries = new Map<string, Entry>();

  /**
   * The line for a device, shared with the other devices on the same port or endpoint. Devices
   * on one serial port must agree on its settings; a mismatch is a config error naming the field.
   */
  acquire(settings: ModbusDeviceSettings, user: string, connectTimeoutMs: number): ModbusLine {
    const { key, signature, create } =
      settings.protocol === 'ModbusRtu'
        ? {
            key: serialLineKey(settings.path),
            signature: `${settings.options.baudRate} baud, ${settings.options.dataBits} data bits, parity ${settings.options.parity}, ${settings.options.stopBits} stop bit(s)`,
            create: () => new SerialLine(settings.path, settings.options),
          }
        : {
            key: tcpLineKey(settings.host, settings.port),
            signature: settings.options.noDelay ? 'TCP_NODELAY on' : 'TCP_NODELAY off',
            create: () =>
              new TcpLine({
                host: settings.host,
                port: settings.port,
                noDelay: settings.options.noDelay,
                connectTimeoutMs,
              }),
          };
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.signature !== signature) {
        throw new DriverError(
          'config',
          `${existing.line.description} is already used by '${existing.owner}' with ${existing.signature}; '${user}' asks for ${signature}. Devices on one line must use the same settings`,
          settings.protocol === 'ModbusRtu' ? 'config.modbus.baudRate' : 'config.modbus.noDelay',
        );
      }
      existing.users++;
      return existing.line;
    }
    const line = create();
    this.entries.set(key, { line, users: 1, signature, owner: user });
    return line;
  }

  async release(line: ModbusLine): Promise<void> {
    const entry = this.entries.get(line.key);
    if (!entry || entry.line !== line) return;
    entry.users--;
    if (entry.users > 0) return;
    this.entries.delete(line.key);
    await line.close();
  }

  async closeAll(): Promise<void> {
    const lines = [...this.entries.values()].map((entry) => entry.line);
    this.entries.clear();
    await Promise.all(lines.map((line) => line.close()));
  }
}
