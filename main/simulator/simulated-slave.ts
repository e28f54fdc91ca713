// One simulated slave: its register map (points with waveforms, plus plain ranges), and the
// faults it can be told to show (for commissioning rehearsals and the fault tests): stay silent,
// answer late, answer with an exception, answer malformed or with a broken CRC.
import type { TagDataType } from '../../common/enums.ts';
import { parseModbusAddress, type ModbusTable, type ModbusTagAddress } from '../drivers/modbus/modbus-address.ts';
import { exceptionPdu, handleRequest } from './modbus-request-handler.ts';
import { RegisterBank } from './register-bank.ts';
import { sampler, type Sampler, type Waveform } from './waveforms.ts';

export interface SimulatedPoint {
  /** a tag address in the gateway's syntax, e.g. "40001:CDAB" or "00017" */
  address: string;
  dataType: TagDataType;
  /** how the value moves; a point without one holds what it is given (and what the master writes) */
  waveform?: Waveform;
}

export interface SlaveFaults {
  /** never answer: an absent slave */
  silent?: boolean;
  /** answer this much later than usual */
  responseDelayMs?: number;
  /** answer every request with this exception code */
  exceptionCode?: number;
  /** answer with one register (or byte) less than asked, in an otherwise valid frame */
  malformed?: boolean;
  /** RTU only: send answers with a wrong CRC */
  corruptCrc?: boolean;
}

export interface SimulatedSlaveConfig {
  unitId: number;
  points?: SimulatedPoint[];
  /** further addresses that exist (and read 0 until written) */
  ranges?: Array<{ table: ModbusTable; start: number; count: number }>;
  /** every address of every table exists */
  everything?: boolean;
  faults?: SlaveFaults;
}

interface MovingPoint {
  address: ModbusTagAddress;
  dataType: TagDataType;
  sample: Sampler;
}

export class SimulatedSlave {
  readonly unitId: number;
  readonly bank: RegisterBank;
  /** change at any time; the next request sees it */
  faults: SlaveFaults;
  private readonly moving: MovingPoint[] = [];

  constructor(config: SimulatedSlaveConfig) {
    this.unitId = config.unitId;
    this.bank = new RegisterBank(config.everything === true);
    this.faults = { ...config.faults };
    for (const range of config.ranges ?? []) this.bank.define(range.table, range.start, range.count);
    for (const point of config.points ?? []) {
      const address = parseModbusAddress(point.address, point.dataType);
      this.bank.define(address.table, address.offset, address.count);
      const sample = sampler(point.waveform ?? { kind: 'fixed', value: 0 });
      this.bank.store(address, point.dataType, sample(0));
      if (point.waveform && point.waveform.kind !== 'fixed') {
        this.moving.push({ address, dataType: point.dataType, sample });
      }
    }
  }

  /** Moves every waveform point to its value at `elapsedMs`. */
  tick(elapsedMs: number): void {
    for (const point of this.moving) this.bank.store(point.address, point.dataType, point.sample(elapsedMs));
  }

  /** The response PDU to a request PDU, or undefined when the slave stays silent. */
  respond(pdu: Uint8Array): Buffer | undefined {
    const faults = this.faults;
    if (faults.silent) return undefined;
    if (faults.exceptionCode) return exceptionPdu(pdu[0] as number, faults.exceptionCode);
    const response = handleRequest(this.bank, pdu);
    if (!faults.malformed || response.length < 3) return response;
    const code = response[0] as number;
    if (code >= 1 && code <= 4) {
      const cut = code <= 2 ? 1 : 2;
      const short = Buffer.from(response.subarray(0, response.length - cut));
      short[1] = (short[1] as number) - cut;
      return short;
    }
    return Buffer.from(response.subarray(0, response.length - 1));
  }
}
