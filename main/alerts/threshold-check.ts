// A rule's operator and thresholds (the seed's compare_op), with hysteresis: an alert that is on
// clears only once the value is `deadband` past the threshold on the safe side, so a noisy value
// near the threshold does not chatter. Raising is always exact.
import type { CompareOp } from '../../common/enums.ts';

export interface Thresholds {
  op: CompareOp;
  thresholdValue: number | null;
  thresholdLow: number | null;
  thresholdHigh: number | null;
  /** ≥ 0, in the expression's unit */
  deadband: number;
}

/** Returns whether the condition holds for `x`; `on` says whether the alert is on now. */
export type ThresholdCheck = (x: number, on: boolean) => boolean;

export function thresholdCheck({
  op,
  thresholdValue,
  thresholdLow,
  thresholdHigh,
  deadband: d,
}: Thresholds): ThresholdCheck {
  const t = thresholdValue ?? NaN;
  const low = thresholdLow ?? NaN;
  const high = thresholdHigh ?? NaN;
  switch (op) {
    case 'GT':
      return (x, on) => (on ? x > t - d : x > t);
    case 'GTE':
      return (x, on) => (on ? x >= t - d : x >= t);
    case 'LT':
      return (x, on) => (on ? x < t + d : x < t);
    case 'LTE':
      return (x, on) => (on ? x <= t + d : x <= t);
    case 'EQ':
      return (x, on) => (on ? Math.abs(x - t) <= d : x === t);
    case 'NE':
      return (x, on) => (on ? Math.abs(x - t) > d : x !== t);
    case 'BETWEEN':
      return (x, on) => (on ? x >= low - d && x <= high + d : x >= low && x <= high);
    case 'NOT_BETWEEN':
      return (x, on) => (on ? x < low + d || x > high - d : x < low || x > high);
  }
}

const SYMBOLS: Record<CompareOp, string> = {
  GT: '>',
  GTE: '≥',
  LT: '<',
  LTE: '≤',
  EQ: '=',
  NE: '≠',
  BETWEEN: 'between',
  NOT_BETWEEN: 'outside',
};

/** "> 80", "between 10 and 20": for alert messages. */
export function describeThreshold({ op, thresholdValue, thresholdLow, thresholdHigh }: Thresholds): string {
  if (op === 'BETWEEN' || op === 'NOT_BETWEEN') return `${SYMBOLS[op]} ${thresholdLow} and ${thresholdHigh}`;
  return `${SYMBOLS[op]} ${thresholdValue}`;
}

/** The threshold an alert reports (alert_history.threshold_value): the one that was crossed. */
export function crossedThreshold(
  { op, thresholdValue, thresholdLow, thresholdHigh }: Thresholds,
  x: number,
): number | null {
  if (op === 'BETWEEN') return x - (thresholdLow ?? 0) < (thresholdHigh ?? 0) - x ? thresholdLow : thresholdHigh;
  if (op === 'NOT_BETWEEN') return x < (thresholdLow ?? 0) ? thresholdLow : thresholdHigh;
  return thresholdValue;
}
