// The decode assistant: given registers read from a device and the value its display shows,
// list the data type / word order / scaling combinations that turn those registers into that
// value — the question every commissioning engineer asks when the manual is vague.
import type { TagDataType } from '../../../common/enums.ts';
import { formatModbusAddress, parseModbusAddress, type ModbusTable, type WordOrder } from './modbus-address.ts';
import { bytesOfRegisters, decodeRegisters } from './register-codec.ts';

export interface DecodeQuestion {
  /** register values (0…65535) as read, in address order */
  registers: readonly number[];
  /** the value on the device's display; as text it also gives the display's precision ("21.50") */
  displayed: number | string;
  /** where the first register was read from, to suggest a full tag address */
  table?: ModbusTable;
  firstOffset?: number;
  /** accepted difference; by default half a unit of the displayed value's last digit */
  tolerance?: number;
}

export interface DecodeCandidate {
  dataType: TagDataType;
  wordOrder: WordOrder;
  /** index of the first register used, within the given registers */
  start: number;
  registers: number;
  raw: number | bigint;
  /** the tag's scaling: value = raw * scaling */
  scaling: number;
  value: number;
  /** the tag address to type, when table and firstOffset were given; else the suffix (e.g. ":CDAB") */
  address: string;
}

const SCALINGS = [1, 0.1, 0.01, 0.001, 0.0001, 10, 100, 1000];

const TYPES: ReadonlyArray<{ dataType: TagDataType; registers: number; orders: readonly WordOrder[] }> = [
  { dataType: 'Int16', registers: 1, orders: ['ABCD', 'BADC'] },
  { dataType: 'UInt16', registers: 1, orders: ['ABCD', 'BADC'] },
  { dataType: 'Float', registers: 2, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
  { dataType: 'Int32', registers: 2, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
  { dataType: 'UInt32', registers: 2, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
  { dataType: 'Double', registers: 4, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
  { dataType: 'Int64', registers: 4, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
  { dataType: 'UInt64', registers: 4, orders: ['ABCD', 'CDAB', 'BADC', 'DCBA'] },
];

export class DecodeQuestionError extends Error {
  override readonly name = 'DecodeQuestionError';
}

function defaultTolerance(displayed: number | string): number {
  const text = typeof displayed === 'string' ? displayed.trim() : String(displayed);
  const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals;
}

export function decodeAssistant(question: DecodeQuestion): DecodeCandidate[] {
  const displayed = Number(question.displayed);
  if (!Number.isFinite(displayed)) {
    throw new DecodeQuestionError(`displayed: "${question.displayed}" is not a number`);
  }
  if (question.registers.length === 0 || question.registers.length > 125) {
    throw new DecodeQuestionError('registers: give 1…125 register values');
  }
  const bad = question.registers.findIndex((word) => !Number.isInteger(word) || word < 0 || word > 0xffff);
  if (bad !== -1) throw new DecodeQuestionError(`registers[${bad}]: ${question.registers[bad]} is not 0…65535`);
  const tolerance = question.tolerance ?? defaultTolerance(question.displayed);
  const bytes = bytesOfRegisters(question.registers);
  const found: Array<DecodeCandidate & { rank: number }> = [];
  for (const type of TYPES) {
    for (const order of type.orders) {
      const parsed = parseModbusAddress(`HR0:${order}`, type.dataType);
      for (let start = 0; start + type.registers <= question.registers.length; start++) {
        const raw = decodeRegisters(bytes, start, parsed, type.dataType) as number | bigint;
        const number = Number(raw);
        if (!Number.isFinite(number)) continue;
        SCALINGS.forEach((scaling, scalingRank) => {
          const value = number * scaling;
          if (Math.abs(value - displayed) > tolerance) return;
          const offset = question.firstOffset === undefined ? undefined : question.firstOffset + start;
          const base = question.table && offset !== undefined ? formatModbusAddress(question.table, offset) : '';
          found.push({
            dataType: type.dataType,
            wordOrder: order,
            start,
            registers: type.registers,
            raw,
            scaling,
            value,
            address: `${base}:${order}`,
            // plainer explanations first: no scaling, fewer registers, the usual orders
            rank: scalingRank * 100 + type.registers * 10 + type.orders.indexOf(order) + start * 0.01,
          });
        });
      }
    }
  }
  return found.sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...candidate }) => candidate);
}
