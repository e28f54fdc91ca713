// What the historian stores, independent of the backend: the seed's three measurements
// (InfluxDB 时序数据库设计 §2). Times are nanoseconds since the Unix epoch.

/** One sample of a tag: a `device_data` point. The series is the tag (device_id + tag_name in InfluxDB). */
export interface DevicePoint {
  tagId: string;
  deviceId: string;
  timeNs: bigint;
  value: number;
  rawValue: number;
  /** 0 GOOD, 1 UNCERTAIN, 2 BAD (the frame's Quality) */
  quality: number;
  errorCode: number;
}

/** A `system_metrics` point: one component's figures at one moment. */
export interface SystemMetricPoint {
  component: string;
  instance: string;
  host: string;
  metricType: string;
  timeNs: bigint;
  /** the seed's fields; a component fills in those it has */
  fields: Partial<Record<SystemMetricField, number>>;
}

export const SYSTEM_METRIC_FIELDS = ['cpu_usage', 'memory_usage', 'throughput', 'latency_p99', 'error_rate'] as const;
export type SystemMetricField = (typeof SYSTEM_METRIC_FIELDS)[number];

/** An `alert_events` point: an alert changing state. */
export interface AlertEventPoint {
  ruleId: string;
  deviceId: string;
  tagId: string;
  /** the seed's alert_level: INFO, WARNING, CRITICAL, FATAL */
  level: string;
  /** the seed's alert_status: ACTIVE, ACKNOWLEDGED, RESOLVED, SHELVED */
  status: string;
  timeNs: bigint;
  triggeredValue: number;
  thresholdValue: number;
  /** how long the condition had held, in seconds */
  durationSeconds: number;
  message: string;
}

/**
 * The embedded store's series id of a system metric field (tags use their own id): each part
 * keeps letters, digits, '_', ':' and '-' (a device name's spaces become '_').
 */
export function systemMetricSeriesId(point: Pick<SystemMetricPoint, 'component' | 'instance'>, field: string): string {
  const part = (text: string): string => text.replace(/[^\w:-]/g, '_').slice(0, 60) || '_';
  return `system.${part(point.component)}.${part(point.instance)}.${part(field)}`;
}
