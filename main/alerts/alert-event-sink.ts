// Where the alert engine sends each alert change as a point of the seed's `alert_events`
// measurement (InfluxDB 时序数据库设计 §2.3). The historian implements it; the engine does not
// know which store is behind it.
import type { AlertLevel, AlertStatus } from '../../common/enums.ts';

/** One alert_events point: tags rule_id, device_id, tag_id, level, status; the rest are fields. */
export interface AlertEventPoint {
  /** empty for a communication alert (it belongs to a tag, not a rule) */
  ruleId: string;
  deviceId: string;
  tagId: string;
  level: AlertLevel;
  status: AlertStatus;
  triggeredValue: number | null;
  thresholdValue: number | null;
  /** whole seconds since the alert fired (its full duration once RESOLVED) */
  durationSeconds: number;
  message: string;
  /** when the change happened, nanoseconds since the Unix epoch */
  timestampNs: bigint;
}

export interface AlertEventSink {
  /** Must not throw; a sink that buffers or retries does so itself. */
  writeAlertEvent(point: AlertEventPoint): void;
}
