// The block planner: merges the tags of one slave into the fewest read requests. Tags of one
// table are sorted by address and taken greedily left to right; a tag joins the open block when
// the block stays within the device's limit (≤ 125 registers / ≤ 2000 bits by the protocol, less
// for devices that accept less) and the unread gap before it is at most the configured maximum.
// Greedy is optimal here: every constraint holds for any sub-range of a valid block, so extending
// each block as far as it can go never needs more blocks than any other split.
//
// Addresses that answered "illegal data address" are never read again as part of a block: a gap
// that failed becomes a barrier no block may span, and a tag whose own registers failed is read
// on its own, so one bad address does not blank its neighbours.
import { READ_FUNCTION, type ModbusTable } from './modbus-address.ts';

export const PROTOCOL_MAX_REGISTERS = 125;
export const PROTOCOL_MAX_BITS = 2000;

export interface PlannerLimits {
  /** registers per read (1…125) */
  maxRegisters: number;
  /** bits per read (1…2000) */
  maxBits: number;
  /** unused registers a block may read to join two tags */
  maxGapRegisters: number;
  /** unused bits a block may read to join two tags */
  maxGapBits: number;
}

/** What the planner needs of a tag; callers plan their own objects that have these fields. */
export interface PlanItem {
  table: ModbusTable;
  offset: number;
  count: number;
  /** the tag's own registers answered "illegal data address": read it alone */
  isolated?: boolean;
}

export interface ReadBlock<T extends PlanItem> {
  table: ModbusTable;
  functionCode: 1 | 2 | 3 | 4;
  start: number;
  count: number;
  /** in address order; an item's first register is at `item.offset - block.start` */
  items: T[];
}

/**
 * Learned per table: [start, end) address ranges a block must not read, and points (start =
 * end) a block must not straddle (some devices refuse a read across an internal area boundary).
 */
export type Barriers = Partial<Record<ModbusTable, Array<readonly [number, number]>>>;

const TABLES: ModbusTable[] = ['coil', 'discrete-input', 'input-register', 'holding-register'];

function isBitTable(table: ModbusTable): boolean {
  return table === 'coil' || table === 'discrete-input';
}

/**
 * Whether joining across the gap [from, to) between a block and the next tag meets a barrier: a
 * range overlapping the gap, or a point inside [from, to]. Barriers are few; a linear scan is fine.
 */
function crossesBarrier(barriers: ReadonlyArray<readonly [number, number]> | undefined, from: number, to: number) {
  if (!barriers) return false;
  for (const [start, end] of barriers) {
    if (start === end ? start >= from && start <= to : start < to && end > from) return true;
  }
  return false;
}

function isSorted(list: ReadonlyArray<PlanItem>): boolean {
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1] as PlanItem;
    const item = list[i] as PlanItem;
    if (item.offset < previous.offset || (item.offset === previous.offset && item.count > previous.count)) return false;
  }
  return true;
}

const INDEX_BITS = 2 ** 20;

/**
 * Address order, longer tags first at the same address. A numeric sort of packed keys
 * (offset, count, position) is several times faster than a comparator sort on 10,000 tags.
 */
function sortByAddress<T extends PlanItem>(list: readonly T[]): T[] {
  if (list.length >= INDEX_BITS) {
    return [...list].sort((a, b) => a.offset - b.offset || b.count - a.count);
  }
  const keys = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as T;
    keys[i] = (item.offset * 4096 + (4095 - Math.min(item.count, 4095))) * INDEX_BITS + i;
  }
  keys.sort();
  const sorted = new Array<T>(list.length);
  for (let i = 0; i < keys.length; i++) sorted[i] = list[(keys[i] as number) % INDEX_BITS] as T;
  return sorted;
}

export function planReads<T extends PlanItem>(items: readonly T[], limits: PlannerLimits, barriers: Barriers = {}) {
  const blocks: ReadBlock<T>[] = [];
  const byTable = new Map<ModbusTable, T[]>();
  for (const item of items) {
    let list = byTable.get(item.table);
    if (!list) byTable.set(item.table, (list = []));
    list.push(item);
  }
  for (const table of TABLES) {
    const list = byTable.get(table);
    if (!list) continue;
    const sorted = isSorted(list) ? list : sortByAddress(list);
    const bits = isBitTable(table);
    const max = Math.min(
      bits ? limits.maxBits : limits.maxRegisters,
      bits ? PROTOCOL_MAX_BITS : PROTOCOL_MAX_REGISTERS,
    );
    const maxGap = bits ? limits.maxGapBits : limits.maxGapRegisters;
    const tableBarriers = barriers[table];
    let open: { start: number; end: number; items: T[]; isolated: boolean } | undefined;
    const close = () => {
      if (!open) return;
      const start = open.start;
      blocks.push({
        table,
        functionCode: READ_FUNCTION[table],
        start,
        count: open.end - start,
        items: open.items,
      });
      open = undefined;
    };
    for (const item of sorted) {
      const end = item.offset + item.count;
      if (item.count > max) {
        throw new RangeError(`a tag of ${item.count} ${bits ? 'bits' : 'registers'} exceeds this device's ${max}`);
      }
      if (
        open &&
        !open.isolated &&
        !item.isolated &&
        Math.max(open.end, end) - open.start <= max &&
        item.offset - open.end <= maxGap &&
        !crossesBarrier(tableBarriers, open.end, item.offset)
      ) {
        open.end = Math.max(open.end, end);
        open.items.push(item);
        continue;
      }
      close();
      open = { start: item.offset, end, items: [item], isolated: item.isolated === true };
    }
    close();
  }
  return blocks;
}
