import { describe, expect, it } from 'vitest';
import { planReads, type PlanItem, type PlannerLimits } from './block-planner.ts';
import type { ModbusTable } from './modbus-address.ts';

const LIMITS: PlannerLimits = { maxRegisters: 125, maxBits: 2000, maxGapRegisters: 4, maxGapBits: 16 };

interface Named extends PlanItem {
  name: string;
}

function item(name: string, offset: number, count = 1, table: ModbusTable = 'holding-register'): Named {
  return { name, table, offset, count };
}

function shape(blocks: ReturnType<typeof planReads<Named>>) {
  return blocks.map((block) => [block.functionCode, block.start, block.count, block.items.map((i) => i.name)]);
}

describe('block planner', () => {
  it('merges adjacent tags and small gaps into one read, in address order', () => {
    const blocks = planReads([item('c', 6, 2), item('a', 0), item('b', 1, 2), item('d', 12)], LIMITS);
    expect(shape(blocks)).toEqual([[3, 0, 13, ['a', 'b', 'c', 'd']]]);
    expect(blocks[0]?.items.map((i) => i.offset - blocks[0]!.start)).toEqual([0, 1, 6, 12]);
  });

  it('starts a new read when the gap is larger than allowed', () => {
    expect(shape(planReads([item('a', 0), item('b', 6)], LIMITS))).toEqual([
      [3, 0, 1, ['a']],
      [3, 6, 1, ['b']],
    ]);
  });

  it('never reads more than 125 registers or the device limit', () => {
    const items = Array.from({ length: 300 }, (_, i) => item(`t${i}`, i));
    expect(planReads(items, LIMITS).map((b) => b.count)).toEqual([125, 125, 50]);
    expect(planReads(items, { ...LIMITS, maxRegisters: 64 }).map((b) => b.count)).toEqual([64, 64, 64, 64, 44]);
    expect(planReads(items, { ...LIMITS, maxRegisters: 500 }).map((b) => b.count)).toEqual([125, 125, 50]);
  });

  it('keeps a multi-register tag whole at a block boundary', () => {
    const items = [...Array.from({ length: 124 }, (_, i) => item(`t${i}`, i)), item('float', 124, 2)];
    expect(planReads(items, LIMITS).map((b) => [b.start, b.count])).toEqual([
      [0, 124],
      [124, 2],
    ]);
  });

  it('plans bits, tables and function codes apart, up to 2000 bits', () => {
    const items = [
      ...Array.from({ length: 2500 }, (_, i) => item(`c${i}`, i, 1, 'coil')),
      item('di', 5, 1, 'discrete-input'),
      item('ir', 5, 2, 'input-register'),
    ];
    expect(planReads(items, LIMITS).map((b) => [b.functionCode, b.start, b.count])).toEqual([
      [1, 0, 2000],
      [1, 2000, 500],
      [2, 5, 1],
      [4, 5, 2],
    ]);
  });

  it('merges tags that share registers (bits of one status word)', () => {
    const blocks = planReads([item('bit0', 7), item('word', 7), item('bit3', 7)], LIMITS);
    expect(shape(blocks)).toEqual([[3, 7, 1, ['bit0', 'word', 'bit3']]]);
  });

  it('does not read across a gap that answered "illegal data address"', () => {
    const blocks = planReads([item('a', 0), item('b', 3), item('c', 5)], LIMITS, {
      'holding-register': [[1, 3]],
    });
    expect(shape(blocks)).toEqual([
      [3, 0, 1, ['a']],
      [3, 3, 3, ['b', 'c']],
    ]);
  });

  it('does not straddle a boundary the device refuses to read across', () => {
    const blocks = planReads([item('a', 0), item('b', 1)], LIMITS, { 'holding-register': [[1, 1]] });
    expect(shape(blocks)).toEqual([
      [3, 0, 1, ['a']],
      [3, 1, 1, ['b']],
    ]);
  });

  it('reads a tag whose own address failed on its own', () => {
    const blocks = planReads([item('a', 0), { ...item('bad', 1), isolated: true }, item('c', 2)], LIMITS);
    expect(shape(blocks)).toEqual([
      [3, 0, 1, ['a']],
      [3, 1, 1, ['bad']],
      [3, 2, 1, ['c']],
    ]);
  });
});
