// What an alert rule is when a user creates or changes one: the seed's alert_rules columns, with
// its threshold rule (BETWEEN and NOT_BETWEEN need a low and a high threshold, every other
// operator a threshold value) checked per field. Intervals are in milliseconds.
import { z } from 'zod';
import { ALERT_LEVELS, COMPARE_OPS } from '../../common/enums.ts';
import { double, durationMs, id, name, optionalText, text, oneOf } from '../api/api-schemas.ts';

export const alertRuleFields = z.object({
  name: name(255),
  description: optionalText(10_000),
  /** the device the rule watches; filled in from the tag when only the tag is given */
  deviceId: id.nullish(),
  tagId: id.nullish(),
  /**
   * What the alert engine evaluates (README: "The alert expression language"): a number that
   * is compared with op and the thresholds ("value", "avg(value, 60)", "T1 - T2"), or a
   * condition that is the whole rule ("value > 80 and Pump_On == 1").
   */
  conditionExpression: text(4_000).trim().min(1, 'must not be empty'),
  op: oneOf(COMPARE_OPS),
  thresholdValue: double.nullish(),
  thresholdHigh: double.nullish(),
  thresholdLow: double.nullish(),
  level: oneOf(ALERT_LEVELS),
  evalInterval: durationMs.min(100, 'must be at least 100 ms').optional(),
  /** how long the condition must hold before the alert fires; empty: at once */
  evalDuration: durationMs.nullish(),
  /** quiet time after an alert before the rule may fire again */
  cooldownDuration: durationMs.nullish(),
  enabled: z.boolean('must be true or false').optional(),
  /** hysteresis: an alert clears only this far past the threshold (≥ 0, the expression's unit) */
  deadband: double.min(0, 'must not be negative').optional(),
});

export type AlertRuleFields = z.output<typeof alertRuleFields>;

const RANGE_OPS = new Set(['BETWEEN', 'NOT_BETWEEN']);

/**
 * Low above high: a problem the database's CHECK does not see (it only asks for both bounds), so
 * updates that change one bound check it against the stored other one.
 */
export function thresholdOrderProblem(
  rule: Pick<AlertRuleFields, 'thresholdLow' | 'thresholdHigh'>,
): string | undefined {
  const { thresholdLow: low, thresholdHigh: high } = rule;
  return typeof low === 'number' && typeof high === 'number' && low > high
    ? 'must not be greater than thresholdHigh'
    : undefined;
}

/** The database's alert_rules_threshold_check, said against the fields (for a complete rule). */
export function checkThresholds(
  rule: Pick<AlertRuleFields, 'op' | 'thresholdValue' | 'thresholdLow' | 'thresholdHigh'>,
  ctx: z.RefinementCtx,
): void {
  if (RANGE_OPS.has(rule.op)) {
    if (typeof rule.thresholdLow !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['thresholdLow'], message: `is needed for ${rule.op}` });
    }
    if (typeof rule.thresholdHigh !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['thresholdHigh'], message: `is needed for ${rule.op}` });
    }
    const order = thresholdOrderProblem(rule);
    if (order) ctx.addIssue({ code: 'custom', path: ['thresholdLow'], message: order });
  } else if (typeof rule.thresholdValue !== 'number') {
    ctx.addIssue({ code: 'custom', path: ['thresholdValue'], message: `is needed for ${rule.op}` });
  }
}
