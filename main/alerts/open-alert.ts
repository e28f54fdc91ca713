// An alert that has fired and is not resolved yet, as the engine holds it in memory (and
// restores it from alert_history after a restart).
import type { AlertLevel, AlertStatus } from '../../common/enums.ts';
import type { AlertSource } from './alert-rule-runtime.ts';

export type OpenStatus = Exclude<AlertStatus, 'RESOLVED'>;

export interface OpenAlert {
  id: string;
  source: AlertSource;
  status: OpenStatus;
  firedAtMs: number;
  triggeredValue: number | null;
  thresholdValue: number | null;
  message: string;
  acknowledgedBy?: string;
  acknowledgedAtMs?: number;
  /** whether the condition holds now (while shelved the status does not show it) */
  conditionOn: boolean;
  /** when the condition cleared while the alert was shelved */
  clearedAtMs?: number;
  shelvedUntilMs?: number;
  shelvedBy?: string;
}

/** What the API lists as an active alert. */
export interface ActiveAlert {
  id: string;
  kind: 'value' | 'communication';
  ruleId: string | null;
  ruleName: string;
  deviceId: string | null;
  tagId: string | null;
  level: AlertLevel;
  status: OpenStatus;
  firedAt: Date;
  message: string;
  triggeredValue: number | null;
  thresholdValue: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  shelvedUntil: Date | null;
  shelvedBy: string | null;
  /** false when the condition has cleared while the alert is shelved */
  conditionHolds: boolean;
}

export function activeAlertOf(alert: OpenAlert): ActiveAlert {
  return {
    id: alert.id,
    kind: alert.source.kind,
    ruleId: alert.source.ruleId,
    ruleName: alert.source.name,
    deviceId: alert.source.deviceId,
    tagId: alert.source.tagId,
    level: alert.source.level,
    status: alert.status,
    firedAt: new Date(alert.firedAtMs),
    message: alert.message,
    triggeredValue: alert.triggeredValue,
    thresholdValue: alert.thresholdValue,
    acknowledgedBy: alert.acknowledgedBy ?? null,
    acknowledgedAt: alert.acknowledgedAtMs === undefined ? null : new Date(alert.acknowledgedAtMs),
    shelvedUntil: alert.shelvedUntilMs === undefined ? null : new Date(alert.shelvedUntilMs),
    shelvedBy: alert.shelvedBy ?? null,
    conditionHolds: alert.conditionOn,
  };
}
