// The Modbus driver (TCP and RTU): one instance per device (slave). It parses its tags'
// addresses, plans each scan group into block reads, decodes the answers with the register codec,
// learns which addresses answer "illegal data address" and plans around them, and writes with
// FC05/06/15/16. The line it uses is shared with the other devices on the same port or endpoint.
import { TAG_DATA_TYPES, type TagDataType } from '../../../common/enums.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import {
  DriverError,
  type Driver,
  type DriverCapabilities,
  type DriverDevice,
  type DriverInit,
  type DriverSettings,
  type DriverTag,
  type DriverValue,
  type ScanOutcome,
  type TagReading,
  type WriteOutcome,
} from '../driver-contract.ts';
import { planReads, type Barriers, type PlanItem, type ReadBlock } from './block-planner.ts';
import {
  formatModbusAddress,
  ModbusAddressError,
  parseModbusAddress,
  READ_FUNCTION,
  type ModbusTable,
  type ModbusTagAddress,
} from './modbus-address.ts';
import { parseModbusDeviceSettings, type ModbusDeviceSettings } from './modbus-device-settings.ts';
import { classifyModbusError, ILLEGAL_DATA_ADDRESS, type ModbusFailure } from './modbus-errors.ts';
import { nowNs } from '../tag-frames.ts';
import type { ModbusLinePool } from './modbus-line-pool.ts';
import type { ModbusLine, ModbusRequest, ModbusResponse } from './modbus-line.ts';
import { decodeRegisters, encodeRegisters, needsReadModifyWrite, TagEncodeError } from './register-codec.ts';

/** Every tag data type of the seed but DateTime, which has no Modbus encoding. */
export const MODBUS_DATA_TYPES: readonly TagDataType[] = TAG_DATA_TYPES.filter((type) => type !== 'DateTime');

export function modbusCapabilities(protocol: 'ModbusTcp' | 'ModbusRtu'): DriverCapabilities {
  return {
    read: true,
    write: true,
    polling: true,
    dataTypes: MODBUS_DATA_TYPES,
    features: [
      protocol === 'ModbusTcp' ? 'tcp' : 'rtu',
      'fc01',
      'fc02',
      'fc03',
      'fc04',
      'fc05',
      'fc06',
      'fc15',
      'fc16',
      'block-planning',
      'word-order',
      'bit-in-register',
    ],
  };
}

const TABLE_NAMES: Record<ModbusTable, string> = {
  coil: 'coils',
  'discrete-input': 'discrete inputs',
  'input-register': 'input registers',
  'holding-register': 'holding registers',
};

/** A tag as the planner and the decoder see it. */
interface TagPlan extends PlanItem {
  tag: DriverTag;
  address: ModbusTagAddress;
}

interface GroupPlan {
  tags: TagPlan[];
  /** tags whose address is wrong: reported as Bad/CONFIG_ERROR at every scan */
  invalid: TagReading[];
  blocks: ReadBlock<TagPlan>[];
}

type ReadResult = { ok: true; response: ModbusResponse } | { ok: false; failure: ModbusFailure };

/** State of one scan: what to report, and why to stop sending. */
interface ScanState {
  readings: TagReading[];
  answered: boolean;
  /** a timeout or a lost connection: the remaining blocks are not sent */
  stop: ModbusFailure | undefined;
  learned: boolean;
}

export class ModbusDriver implements Driver {
  private device: DriverDevice | undefined;
  private settings: ModbusDeviceSettings | undefined;
  private driverSettings: DriverSettings | undefined;
  private line: ModbusLine | undefined;
  private readonly groups = new Map<string, GroupPlan>();
  private readonly barriers: Barriers = {};
  private readonly isolated = new Set<string>();

  constructor(
    private readonly protocol: 'ModbusTcp' | 'ModbusRtu',
    private readonly pool: ModbusLinePool,
  ) {}

  capabilities(): DriverCapabilities {
    return modbusCapabilities(this.protocol);
  }

  async initialise({ device, settings, groups }: DriverInit): Promise<void> {
    if (device.protocol !== this.protocol) {
      throw new DriverError('config', `device '${device.name}' speaks ${device.protocol}, not ${this.protocol}`);
    }
    this.device = device;
    this.driverSettings = settings;
    this.settings = parseModbusDeviceSettings(this.protocol, device.endpoint, device.config);
    this.groups.clear();
    for (const group of groups) {
      const plan: GroupPlan = { tags: [], invalid: [], blocks: [] };
      for (const tag of group.tags) {
        const parsed = this.parseTag(tag);
        if ('address' in parsed) {
          plan.tags.push(parsed);
        } else {
          plan.invalid.push(parsed.reading);
        }
      }
      this.replan(plan);
      this.groups.set(group.id, plan);
    }
  }

  private parseTag(tag: DriverTag): TagPlan | { reading: TagReading } {
    const options = this.options();
    try {
      const address = parseModbusAddress(tag.address, tag.dataType, options.wordOrder);
      const bits = address.table === 'coil' || address.table === 'discrete-input';
      const limit = bits ? options.maxBitsPerRead : options.maxRegistersPerRead;
      if (address.count > limit) {
        throw new ModbusAddressError(
          `the tag needs ${address.count} registers but '${this.device?.name}' reads at most ${limit} at once (config.modbus.maxRegistersPerRead)`,
        );
      }
      return { tag, address, table: address.table, offset: address.offset, count: address.count, isolated: false };
    } catch (error) {
      if (!(error instanceof ModbusAddressError)) throw error;
      return {
        reading: {
          tagId: tag.id,
          ok: false,
          quality: Quality.QUALITY_BAD,
          reason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
          errorCode: 0,
          message: `tag '${tag.name}', address '${tag.address}': ${error.message}`,
        },
      };
    }
  }

  private options() {
    if (!this.settings) throw new Error('the Modbus driver is not initialised');
    return this.settings.options;
  }

  private replan(group: GroupPlan): void {
    const options = this.options();
    for (const plan of group.tags) plan.isolated = this.isolated.has(plan.tag.id);
    group.blocks = planReads(
      group.tags,
      {
        maxRegisters: options.maxRegistersPerRead,
        maxBits: options.maxBitsPerRead,
        maxGapRegisters: options.maxGapRegisters,
        maxGapBits: options.maxGapBits,
      },
      this.barriers,
    );
  }

  /** The planned reads of a group (for tests, the benchmark and the commissioning view). */
  blocksOf(groupId: string): ReadonlyArray<ReadBlock<TagPlan>> {
    return this.groups.get(groupId)?.blocks ?? [];
  }

  async connect(): Promise<void> {
    if (!this.settings || !this.device || !this.driverSettings) {
      throw new Error('the Modbus driver is not initialised');
    }
    this.line ??= this.pool.acquire(this.settings, this.device.name, this.timeoutMs());
    await this.line.open();
  }

  private timeoutMs(): number {
    return this.settings?.options.timeoutMs ?? this.driverSettings?.timeoutMs ?? 1000;
  }

  private unitId(): number {
    return this.options().unitId;
  }

  private describeTarget(table: ModbusTable, start: number, count: number): string {
    const range =
      count > 1
        ? `${formatModbusAddress(table, start)}…${formatModbusAddress(table, start + count - 1)}`
        : formatModbusAddress(table, start);
    return `'${this.device?.name}' (unit ${this.unitId()} on ${this.line?.description ?? 'no line'}), ${TABLE_NAMES[table]} ${range}`;
  }

  private async request(request: ModbusRequest, table: ModbusTable, count: number): Promise<ReadResult> {
    const line = this.line;
    const target = this.describeTarget(table, request.address, count);
    if (!line) {
      return {
        ok: false,
        failure: {
          reason: QualityReason.QUALITY_REASON_NOT_CONNECTED,
          code: 0,
          message: `${target}: not connected`,
          answered: false,
          connectionLost: true,
        },
      };
    }
    try {
      const gapAfterMs = this.settings?.protocol === 'ModbusRtu' ? this.settings.options.interFrameDelayMs : 0;
      const response = await line.transact(request, { timeoutMs: this.timeoutMs(), gapAfterMs });
      return { ok: true, response };
    } catch (error) {
      return { ok: false, failure: classifyModbusError(error, target) };
    }
  }

  async scan(groupId: string): Promise<ScanOutcome> {
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`scan group ${groupId} is unknown to '${this.device?.name}'`);
    const state: ScanState = { readings: [...group.invalid], answered: false, stop: undefined, learned: false };
    for (const block of group.blocks) {
      await this.readItems(block.table, block.items, state);
    }
    if (state.learned) this.replan(group);
    const outcome: ScanOutcome = { readings: state.readings, answered: state.answered };
    if (state.stop?.connectionLost) outcome.connectionLost = new DriverError('unreachable', state.stop.message);
    return outcome;
  }

  /**
   * Reads the registers covering `items` in one request and decodes them. On "illegal data
   * address" the items are split in two and each half read on its own, down to single tags, and
   * what was learned is kept for the next plan. Resolves true when one request read them all.
   */
  private async readItems(table: ModbusTable, items: ReadonlyArray<TagPlan>, state: ScanState): Promise<boolean> {
    if (state.stop) {
      this.fail(items, state.stop, state);
      return false;
    }
    const start = Math.min(...items.map((item) => item.offset));
    const end = Math.max(...items.map((item) => item.offset + item.count));
    const result = await this.request(
      { functionCode: READ_FUNCTION[table], unitId: this.unitId(), address: start, count: end - start },
      table,
      end - start,
    );
    if (result.ok) {
      state.answered = true;
      const at = nowNs();
      for (const item of items) state.readings.push(this.decode(item, result.response, item.offset - start, at));
      return true;
    }
    const { failure } = result;
    if (failure.answered) state.answered = true;
    if (failure.code === ILLEGAL_DATA_ADDRESS) {
      const split = splitPoint(items);
      if (split === undefined) {
        for (const item of items) this.isolated.add(item.tag.id);
        state.learned ||= items.some((item) => !item.isolated);
        this.fail(items, failure, state);
        return false;
      }
      const left = items.slice(0, split);
      const right = items.slice(split);
      const leftWhole = await this.readItems(table, left, state);
      const rightWhole = await this.readItems(table, right, state);
      if (leftWhole && rightWhole) {
        // Each half reads in one go, together they do not: the trouble lies between them (a
        // hole in the map, or a boundary the device will not read across). Deeper problems were
        // learned by the halves; one between them that they hid is found at a later scan.
        const leftEnd = Math.max(...left.map((item) => item.offset + item.count));
        const rightStart = Math.min(...right.map((item) => item.offset));
        (this.barriers[table] ??= []).push([leftEnd, rightStart]);
      }
      state.learned = true;
      return false;
    }
    if (!failure.answered && !isAnswerProblem(failure)) state.stop = failure;
    this.fail(items, failure, state);
    return false;
  }

  private fail(items: ReadonlyArray<TagPlan>, failure: ModbusFailure, state: ScanState): void {
    for (const item of items) {
      state.readings.push({
        tagId: item.tag.id,
        ok: false,
        quality: Quality.QUALITY_BAD,
        reason: failure.reason,
        errorCode: failure.code,
        message: failure.message,
      });
    }
  }

  private decode(plan: TagPlan, response: ModbusResponse, index: number, at = nowNs()): TagReading {
    try {
      const raw: DriverValue = response.bits
        ? response.bits[index] === true
        : decodeRegisters(response.registers ?? new Uint8Array(), index, plan.address, plan.tag.dataType);
      return { tagId: plan.tag.id, ok: true, raw, sourceTimestampNs: at };
    } catch (error) {
      return {
        tagId: plan.tag.id,
        ok: false,
        quality: Quality.QUALITY_BAD,
        reason: QualityReason.QUALITY_REASON_DECODE_ERROR,
        errorCode: 0,
        message: `tag '${plan.tag.name}': ${(error as Error).message}`,
      };
    }
  }

  async write(tag: DriverTag, raw: DriverValue): Promise<WriteOutcome> {
    const parsed = this.parseTag(tag);
    if (!('address' in parsed)) {
      return { ok: false, message: (parsed.reading as { message: string }).message, ...configError() };
    }
    const { address } = parsed;
    if (address.table === 'discrete-input' || address.table === 'input-register') {
      return {
        ok: false,
        message: `tag '${tag.name}' is a ${TABLE_NAMES[address.table].slice(0, -1)}, which Modbus cannot write`,
        ...configError(),
      };
    }
    const unitId = this.unitId();
    const options = this.options();
    let request: ModbusRequest;
    if (address.table === 'coil') {
      const on = raw === true || (typeof raw !== 'boolean' && Number(raw) !== 0);
      request =
        options.singleCoilWrite === 'FC05'
          ? { functionCode: 5, unitId, address: address.offset, value: on }
          : { functionCode: 15, unitId, address: address.offset, values: [on] };
    } else {
      let current = 0;
      if (needsReadModifyWrite(address, tag.dataType)) {
        const read = await this.request(
          { functionCode: 3, unitId, address: address.offset, count: 1 },
          address.table,
          1,
        );
        if (!read.ok) return failed(read.failure);
        const bytes = read.response.registers ?? new Uint8Array(2);
        current = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
      }
      let words: number[];
      try {
        words = encodeRegisters(raw, address, tag.dataType, current);
      } catch (error) {
        if (!(error instanceof TagEncodeError)) throw error;
        return { ok: false, message: `tag '${tag.name}': ${error.message}`, ...configError() };
      }
      request =
        words.length === 1 && options.singleRegisterWrite === 'FC06'
          ? { functionCode: 6, unitId, address: address.offset, value: words[0] as number }
          : { functionCode: 16, unitId, address: address.offset, values: words };
    }
    const written = await this.request(request, address.table, address.count);
    if (!written.ok) return failed(written.failure);
    if (tag.accessType === 'Write') return { ok: true };
    // Read back what the device now holds: it may clamp or refuse silently.
    const readBack = await this.request(
      { functionCode: READ_FUNCTION[address.table], unitId, address: address.offset, count: address.count },
      address.table,
      address.count,
    );
    if (!readBack.ok) return { ok: true };
    const reading = this.decode(parsed, readBack.response, 0);
    return reading.ok ? { ok: true, readBack: reading.raw } : { ok: true };
  }

  async shutdown(): Promise<void> {
    const line = this.line;
    this.line = undefined;
    if (line) await this.pool.release(line);
  }
}

/** The device answered, but wrongly: the line is free again, so later blocks are still sent. */
function isAnswerProblem(failure: ModbusFailure): boolean {
  return (
    failure.reason === QualityReason.QUALITY_REASON_CRC_ERROR ||
    failure.reason === QualityReason.QUALITY_REASON_MALFORMED_RESPONSE
  );
}

function configError() {
  return { reason: QualityReason.QUALITY_REASON_CONFIG_ERROR, errorCode: 0 };
}

function failed(failure: ModbusFailure): WriteOutcome {
  return { ok: false, message: failure.message, reason: failure.reason, errorCode: failure.code };
}

/**
 * Where to cut sorted items in two halves without separating items that share registers; the
 * cut nearest the middle, or undefined when the items cannot be separated.
 */
function splitPoint(items: ReadonlyArray<TagPlan>): number | undefined {
  let best: number | undefined;
  let reach = -1;
  for (let i = 1; i < items.length; i++) {
    const previous = items[i - 1] as TagPlan;
    reach = Math.max(reach, previous.offset + previous.count);
    if ((items[i] as TagPlan).offset >= reach) {
      if (best === undefined || Math.abs(i - items.length / 2) < Math.abs(best - items.length / 2)) best = i;
    }
  }
  return best;
}
