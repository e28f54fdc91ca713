import { describe, expect, it } from 'vitest';
import type { CompareOp } from '../../common/enums.ts';
import { crossedThreshold, describeThreshold, thresholdCheck, type Thresholds } from './threshold-check.ts';

const rule = (op: CompareOp, deadband = 0): Thresholds => ({
  op,
  thresholdValue: op === 'BETWEEN' || op === 'NOT_BETWEEN' ? null : 80,
  thresholdLow: 10,
  thresholdHigh: 20,
  deadband,
});

describe('operators at their boundaries (raising)', () => {
  it.each<[CompareOp, [number, boolean][]]>([
    [
      'GT',
      [
        [79.999, false],
        [80, false],
        [80.001, true],
      ],
    ],
    [
      'GTE',
      [
        [79.999, false],
        [80, true],
        [80.001, true],
      ],
    ],
    [
      'LT',
      [
        [79.999, true],
        [80, false],
        [80.001, false],
      ],
    ],
    [
      'LTE',
      [
        [79.999, true],
        [80, true],
        [80.001, false],
      ],
    ],
    [
      'EQ',
      [
        [79.999, false],
        [80, true],
        [80.001, false],
      ],
    ],
    [
      'NE',
      [
        [79.999, true],
        [80, false],
        [80.001, true],
      ],
    ],
    [
      'BETWEEN',
      [
        [9.999, false],
        [10, true],
        [15, true],
        [20, true],
        [20.001, false],
      ],
    ],
    [
      'NOT_BETWEEN',
      [
        [9.999, true],
        [10, false],
        [15, false],
        [20, false],
        [20.001, true],
      ],
    ],
  ])('%s', (op, cases) => {
    const holds = thresholdCheck(rule(op));
    for (const [x, expected] of cases) expect(holds(x, false), `${op} ${x}`).toBe(expected);
  });
});

describe('hysteresis: an alert that is on clears only past the deadband', () => {
  it.each<[CompareOp, [number, boolean][]]>([
    [
      'GT',
      [
        [78.5, true],
        [78, false],
      ],
    ],
    [
      'GTE',
      [
        [78, true],
        [77.9, false],
      ],
    ],
    [
      'LT',
      [
        [81.5, true],
        [82, false],
      ],
    ],
    [
      'LTE',
      [
        [82, true],
        [82.1, false],
      ],
    ],
    [
      'EQ',
      [
        [81.9, true],
        [82.1, false],
      ],
    ],
    [
      'NE',
      [
        [82.1, true],
        [81.9, false],
      ],
    ],
    [
      'BETWEEN',
      [
        [8, true],
        [7.9, false],
        [22, true],
        [22.1, false],
      ],
    ],
    [
      'NOT_BETWEEN',
      [
        [11.9, true],
        [12, false],
        [18, false],
        [18.1, true],
      ],
    ],
  ])('%s with deadband 2', (op, cases) => {
    const holds = thresholdCheck(rule(op, 2));
    for (const [x, expected] of cases) expect(holds(x, true), `${op} ${x}`).toBe(expected);
  });

  it('without a deadband clears exactly at the threshold', () => {
    expect(thresholdCheck(rule('GT'))(80, true)).toBe(false);
    expect(thresholdCheck(rule('GT'))(80.001, true)).toBe(true);
  });
});

it('reports the threshold that was crossed and describes it', () => {
  expect(crossedThreshold(rule('NOT_BETWEEN'), 5)).toBe(10);
  expect(crossedThreshold(rule('NOT_BETWEEN'), 25)).toBe(20);
  expect(crossedThreshold(rule('GT'), 90)).toBe(80);
  expect(describeThreshold(rule('BETWEEN'))).toBe('between 10 and 20');
  expect(describeThreshold(rule('LTE'))).toBe('≤ 80');
});
