// A Modbus device's protocol settings: `devices.endpoint` (host:port for TCP, the serial port for
// RTU) and `devices.config.modbus` (the seed indexes config->'modbus'). Validated with zod; every
// problem is reported with the field it is about, e.g. "config.modbus.baudRate: …".
import { z } from 'zod';
import type { ProtocolKind } from '../../../common/enums.ts';
import { DriverError } from '../driver-contract.ts';
import { WORD_ORDERS, type WordOrder } from './modbus-address.ts';
import { PROTOCOL_MAX_BITS, PROTOCOL_MAX_REGISTERS } from './block-planner.ts';

const wordOrder = z.enum(WORD_ORDERS as [WordOrder, ...WordOrder[]]);

const common = {
  /** per-device (per-slave) request timeout; the driver configuration's timeout otherwise */
  timeoutMs: z.number().int().min(10).max(60_000).optional(),
  /** some devices accept fewer than the protocol's 125 registers / 2000 bits per read */
  maxRegistersPerRead: z.number().int().min(1).max(PROTOCOL_MAX_REGISTERS).default(PROTOCOL_MAX_REGISTERS),
  maxBitsPerRead: z.number().int().min(1).max(PROTOCOL_MAX_BITS).default(PROTOCOL_MAX_BITS),
  /** unused registers a read may span to join two tags (0: only adjacent tags) */
  maxGapRegisters: z
    .number()
    .int()
    .min(0)
    .max(PROTOCOL_MAX_REGISTERS - 1)
    .default(16),
  maxGapBits: z
    .number()
    .int()
    .min(0)
    .max(PROTOCOL_MAX_BITS - 1)
    .default(128),
  /** the order of tags whose address has no :ORDER suffix */
  wordOrder: wordOrder.default('ABCD'),
  /** devices that only implement FC16 / FC15 get single writes that way */
  singleRegisterWrite: z.enum(['FC06', 'FC16']).default('FC06'),
  singleCoilWrite: z.enum(['FC05', 'FC15']).default('FC05'),
};

const tcpSchema = z.strictObject({
  ...common,
  /** 1 for most PLCs; the slave id behind a TCP-to-RTU gateway; 255 or 0 for some devices */
  unitId: z.number().int().min(0).max(255).default(1),
  /** TCP_NODELAY: on by default, so each request leaves at once */
  noDelay: z.boolean().default(true),
});

export const BAUD_RATES = [1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;

const rtuSchema = z.strictObject({
  ...common,
  unitId: z.number().int().min(1).max(247).default(1),
  // Modbus over serial line, §2.5.1: 19200 baud, even parity, one stop bit by default.
  baudRate: z
    .number()
    .int()
    .refine((v) => (BAUD_RATES as readonly number[]).includes(v), { message: `use one of ${BAUD_RATES.join(', ')}` })
    .default(19200),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('even'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  /** extra silence after each transaction, for slow devices (the t3.5 gap is always kept) */
  interFrameDelayMs: z.number().int().min(0).max(1000).default(0),
});

export type ModbusTcpOptions = z.infer<typeof tcpSchema>;
export type ModbusRtuOptions = z.infer<typeof rtuSchema>;

export type ModbusDeviceSettings =
  | { protocol: 'ModbusTcp'; host: string; port: number; options: ModbusTcpOptions }
  | { protocol: 'ModbusRtu'; path: string; options: ModbusRtuOptions };

export type SerialLineSettings = Pick<ModbusRtuOptions, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>;

function fieldError(field: string, message: string): DriverError {
  return new DriverError('config', `${field}: ${message}`, field);
}

/** "host", "host:port", "[::1]:502" → host and port (502 when absent). */
export function parseTcpEndpoint(endpoint: string): { host: string; port: number } {
  const text = endpoint.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:\s]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) {
    throw fieldError('endpoint', `"${endpoint}" is not host:port (e.g. 192.168.1.10:502 or plc.local)`);
  }
  const port = match[2] === undefined ? 502 : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw fieldError('endpoint', `port ${match[2]} is not 1…65535`);
  }
  return { host: match[1] as string, port };
}

export function parseModbusDeviceSettings(
  protocol: ProtocolKind,
  endpoint: string,
  config: Record<string, unknown>,
): ModbusDeviceSettings {
  const raw = config.modbus ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw fieldError('config.modbus', 'must be an object of Modbus settings');
  }
  if (protocol === 'ModbusTcp') {
    const { host, port } = parseTcpEndpoint(endpoint);
    return { protocol, host, port, options: parseOptions(tcpSchema, raw) };
  }
  if (protocol === 'ModbusRtu') {
    const path = endpoint.trim();
    if (!path) throw fieldError('endpoint', 'name the serial port, e.g. /dev/ttyUSB0 or COM3');
    return { protocol, path, options: parseOptions(rtuSchema, raw) };
  }
  throw fieldError('protocol', `${protocol} is not a Modbus protocol`);
}

function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = ['config.modbus', ...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `is not a Modbus setting (known: ${Object.keys((schema as unknown as z.ZodObject).shape).join(', ')})`
      : issue.message;
  throw fieldError(field, message);
}
