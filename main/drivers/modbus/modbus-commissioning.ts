// Commissioning tools for the API: read or write any registers of any device once, like Modbus
// Poll, with the raw frames of the exchange for the traffic log. Requests go through the same
// line pool as the running drivers, so a one-off read waits its turn on a line that is polled.
import { z } from 'zod';
import type { QualityReason } from '../../../proto/generated/frame.ts';
import { DriverError } from '../driver-contract.ts';
import { formatModbusAddress, type ModbusTable } from './modbus-address.ts';
import { parseModbusDeviceSettings } from './modbus-device-settings.ts';
import { classifyModbusError } from './modbus-errors.ts';
import type { ModbusLinePool } from './modbus-line-pool.ts';
import type { ModbusRequest, TrafficRecord } from './modbus-line.ts';
import { wordsOf } from './register-codec.ts';

const target = {
  protocol: z.enum(['ModbusTcp', 'ModbusRtu']),
  /** host:port, or the serial port */
  endpoint: z.string().min(1, 'name the host:port or the serial port'),
  /** Modbus settings as in devices.config.modbus (unitId, baudRate, parity, …) */
  modbus: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().min(10).max(60_000).default(1000),
};
const address = z.number().int().min(0).max(65535);

export const oneShotRequestSchema = z.discriminatedUnion('functionCode', [
  z.strictObject({
    ...target,
    functionCode: z.union([z.literal(1), z.literal(2)]),
    address,
    count: z.number().int().min(1).max(2000),
  }),
  z.strictObject({
    ...target,
    functionCode: z.union([z.literal(3), z.literal(4)]),
    address,
    count: z.number().int().min(1).max(125),
  }),
  z.strictObject({ ...target, functionCode: z.literal(5), address, value: z.boolean() }),
  z.strictObject({ ...target, functionCode: z.literal(6), address, value: z.number().int().min(0).max(0xffff) }),
  z.strictObject({ ...target, functionCode: z.literal(15), address, values: z.array(z.boolean()).min(1).max(1968) }),
  z.strictObject({
    ...target,
    functionCode: z.literal(16),
    address,
    values: z.array(z.number().int().min(0).max(0xffff)).min(1).max(123),
  }),
]);

export type OneShotRequest = z.input<typeof oneShotRequestSchema>;

export interface TrafficEntry {
  direction: 'tx' | 'rx';
  /** the bytes as "01 03 00 00 00 0A C5 CD" */
  hex: string;
  at: number;
}

export type OneShotResult =
  | { ok: true; registers?: number[]; bits?: boolean[]; traffic: TrafficEntry[]; elapsedMs: number }
  | {
      ok: false;
      error: string;
      reason?: QualityReason;
      exceptionCode?: number;
      traffic: TrafficEntry[];
      elapsedMs: number;
    };

/** Bad input: `message` starts with the field it is about ("count: …"). */
export class OneShotRequestError extends Error {
  override readonly name = 'OneShotRequestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const TABLE_OF: Record<number, ModbusTable> = {
  1: 'coil',
  2: 'discrete-input',
  3: 'holding-register',
  4: 'input-register',
  5: 'coil',
  6: 'holding-register',
  15: 'coil',
  16: 'holding-register',
};

function hexOf(record: TrafficRecord): TrafficEntry {
  const hex = [...record.bytes].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return { direction: record.direction, hex, at: record.at };
}

export class ModbusCommissioning {
  constructor(private readonly pool: ModbusLinePool) {}

  /**
   * Sends one request and returns its answer with the frames on the wire. Bad input throws
   * OneShotRequestError naming the field; a device problem is an `ok: false` result.
   */
  async execute(input: OneShotRequest): Promise<OneShotResult> {
    const parsed = oneShotRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0] as z.core.$ZodIssue;
      const field = issue.path.join('.') || 'request';
      throw new OneShotRequestError(field, `${field}: ${issue.message}`);
    }
    const request = parsed.data;
    let settings;
    try {
      settings = parseModbusDeviceSettings(request.protocol, request.endpoint, { modbus: request.modbus });
    } catch (error) {
      if (error instanceof DriverError) throw new OneShotRequestError(error.field ?? 'modbus', error.message);
      throw error;
    }
    const unitId = settings.options.unitId;
    const count = 'count' in request ? request.count : 'values' in request ? request.values.length : 1;
    if (request.address + count > 65536) {
      throw new OneShotRequestError(
        'count',
        `count: ${count} values from address ${request.address} run past the last address (65535)`,
      );
    }
    const modbusRequest = { ...pick(request), unitId } as ModbusRequest;
    const traffic: TrafficEntry[] = [];
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const line = this.pool.acquire(settings, 'commissioning', request.timeoutMs);
    try {
      await line.open();
      const response = await line.transact(modbusRequest, {
        timeoutMs: request.timeoutMs,
        trace: (record) => traffic.push(hexOf(record)),
      });
      return {
        ok: true,
        ...(response.registers ? { registers: wordsOf(response.registers) } : {}),
        ...(response.bits ? { bits: response.bits } : {}),
        traffic,
        elapsedMs: elapsed(),
      };
    } catch (error) {
      if (error instanceof DriverError) return { ok: false, error: error.message, traffic, elapsedMs: elapsed() };
      const table = TABLE_OF[request.functionCode] as ModbusTable;
      const range = `${formatModbusAddress(table, request.address)}${count > 1 ? `…${formatModbusAddress(table, request.address + count - 1)}` : ''}`;
      const failure = classifyModbusError(
        error,
        `unit ${unitId} on ${line.description}, FC${request.functionCode} ${range}`,
      );
      return {
        ok: false,
        error: failure.message,
        reason: failure.reason,
        ...(failure.code ? { exceptionCode: failure.code } : {}),
        traffic,
        elapsedMs: elapsed(),
      };
    } finally {
      await this.pool.release(line);
    }
  }
}

function pick(request: z.output<typeof oneShotRequestSchema>): Omit<ModbusRequest, 'unitId'> {
  const { protocol: _p, endpoint: _e, modbus: _m, timeoutMs: _t, ...rest } = request;
  return rest as Omit<ModbusRequest, 'unitId'>;
}
