// One enabled rule, ready to evaluate: its compiled expression, its threshold check with
// hysteresis, and its episode state (pending since, open alert, cooldown, latch).
import type { AlertLevel } from '../../common/enums.ts';
import type { AlertRule } from '../db/repositories/alert-rules-repository.ts';
import { compileExpression, type CompiledExpression, type ExpressionScope } from './condition-expression.ts';
import type { OpenAlert } from './open-alert.ts';
import type { TagSeries } from './tag-series.ts';
import { describeThreshold, thresholdCheck, type ThresholdCheck, type Thresholds } from './threshold-check.ts';

/** What can have an open alert: a rule (value alerts) or a watched tag (communication alerts). */
export interface AlertSource {
  readonly kind: 'value' | 'communication';
  readonly ruleId: string | null;
  readonly name: string;
  readonly deviceId: string | null;
  readonly tagId: string | null;
  readonly level: AlertLevel;
  open: OpenAlert | undefined;
  /** when this source's last alert resolved (the cooldown starts there) */
  lastResolvedAtMs: number;
  /**
   * The last alert was resolved while its condition still held (auto-resolve after 24 h): it
   * does not fire again until the condition has cleared, so one episode is one alert.
   */
  latched: boolean;
}

export class RuleRuntime implements AlertSource {
  readonly kind = 'value';
  readonly ruleId: string;
  readonly name: string;
  readonly deviceId: string | null;
  readonly tagId: string | null;
  readonly level: AlertLevel;
  readonly expression: CompiledExpression;
  /** the rule's own tag (`value`), when it watches one */
  readonly self: TagSeries | undefined;
  readonly thresholds: Thresholds;
  private readonly check: ThresholdCheck;
  readonly durationMs: number;
  readonly cooldownMs: number;
  readonly intervalMs: number;
  /** whether triggered_value is the rule's own tag (`value`) rather than a computed number */
  private readonly subject: string;
  open: OpenAlert | undefined;
  lastResolvedAtMs = -Infinity;
  latched = false;
  pendingSinceMs: number | undefined;
  /** whether alert_rule_state holds pendingSinceMs (only needed when firing waits) */
  pendingStored = false;
  nextEvalAtMs = 0;

  constructor(
    readonly rule: AlertRule,
    scope: ExpressionScope,
  ) {
    this.self = scope.self as TagSeries | undefined;
    this.ruleId = rule.id;
    this.name = rule.name;
    this.deviceId = rule.deviceId;
    this.tagId = rule.tagId;
    this.level = rule.level;
    this.expression = compileExpression(rule.conditionExpression, scope);
    this.thresholds = {
      op: rule.op,
      thresholdValue: rule.thresholdValue,
      thresholdLow: rule.thresholdLow,
      thresholdHigh: rule.thresholdHigh,
      deadband: rule.deadband,
    };
    this.check = thresholdCheck(this.thresholds);
    this.durationMs = rule.evalDuration ?? 0;
    this.cooldownMs = rule.cooldownDuration ?? 0;
    this.intervalMs = Math.max(100, rule.evalInterval);
    const text = rule.conditionExpression.trim();
    this.subject = text === 'value' && this.self ? this.self.label : text;
  }

  /**
   * Whether the condition holds for the evaluated result `x`, given whether it held until now
   * (`on`: hysteresis applies to clearing). A condition expression (true/false) is the whole
   * condition; a numeric one is compared with the rule's operator and thresholds.
   */
  holds(x: number, on: boolean): boolean {
    return this.expression.type === 'boolean' ? x !== 0 : this.check(x, on);
  }

  /** The value an alert reports: the expression's number, or the rule's tag for a condition. */
  reportedValue(x: number): number | null {
    if (this.expression.type === 'number') return x;
    const own = this.self?.lastValue;
    return own === undefined || Number.isNaN(own) ? null : own;
  }

  message(x: number): string {
    if (this.expression.type === 'boolean') return `${this.name}: ${this.subject} holds`;
    return `${this.name}: ${this.subject} = ${formatNumber(x)} (${describeThreshold(this.thresholds)})`;
  }
}

export function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}
