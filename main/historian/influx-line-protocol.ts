// The seed's measurements in InfluxDB line protocol. Escaping is the official client's; the
// series key (measurement and tags) of a tag is built once and reused for each of its points,
// since building a line per point is the historian's hottest path. Tags are written sorted by
// key (what InfluxDB stores anyway) and empty tag values are left out (the protocol forbids them).
import { escape } from '@influxdata/influxdb-client';
import type { AlertEventPoint, DevicePoint, SystemMetricPoint } from './historian-points.ts';
import type { LineBatchBuilder } from './influx-line-batch.ts';
import type { TagLabels } from './tag-catalog.ts';

export const MEASUREMENTS = {
  deviceData: 'device_data',
  systemMetrics: 'system_metrics',
  alertEvents: 'alert_events',
} as const;

function seriesKey(measurement: string, tags: Record<string, string>): string {
  let key = escape.measurement(measurement);
  for (const name of Object.keys(tags).sort()) {
    const value = tags[name]!;
    if (value !== '') key += `,${escape.tag(name)}=${escape.tag(value)}`;
  }
  return key;
}

export function deviceDataSeriesKey(labels: TagLabels): string {
  return seriesKey(MEASUREMENTS.deviceData, {
    device_id: labels.deviceId,
    device_name: labels.deviceName,
    tag_name: labels.tagName,
    protocol: labels.protocol,
    location: labels.location,
    unit: labels.unit,
  });
}

/** A number as a line-protocol float; NaN and ±Infinity cannot be written (undefined). */
function float(value: number): string | undefined {
  return Number.isFinite(value) ? String(value) : undefined;
}

function int(value: number): string {
  return `${Math.trunc(value)}i`;
}

/**
 * A device_data line after its series key and space: fields and time (ASCII only), or undefined
 * when the value is not a finite number. A raw value equal to the value is formatted once.
 */
export function deviceDataFields(point: DevicePoint): string | undefined {
  const value = float(point.value);
  if (value === undefined) return undefined;
  const raw = point.rawValue === point.value ? value : (float(point.rawValue) ?? value);
  return `value=${value},raw_value=${raw},quality=${int(point.quality)},error_code=${int(point.errorCode)} ${point.timeNs}`;
}

/**
 * Appends a device_data line to `builder`: `prefix` (its series key and a space, encoded), then
 * the same fields and time as deviceDataFields, written digit by digit. False (nothing written)
 * when the value is not a finite number.
 */
export function appendDeviceData(builder: LineBatchBuilder, prefix: Buffer, point: DevicePoint): boolean {
  const value = point.value;
  if (!Number.isFinite(value)) return false;
  builder.startLine(prefix);
  builder.ascii('value=');
  builder.float(value);
  builder.ascii(',raw_value=');
  builder.float(Number.isFinite(point.rawValue) ? point.rawValue : value);
  builder.ascii(',quality=');
  builder.integer(Math.trunc(point.quality));
  builder.ascii('i,error_code=');
  builder.integer(Math.trunc(point.errorCode));
  builder.ascii('i ');
  builder.time(point.timeNs);
  builder.endLine();
  return true;
}

/** One device_data line, or undefined when the value is not a finite number. */
export function deviceDataLine(key: string, point: DevicePoint): string | undefined {
  const fields = deviceDataFields(point);
  return fields === undefined ? undefined : `${key} ${fields}`;
}

export function systemMetricsLine(point: SystemMetricPoint): string | undefined {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(point.fields)) {
    // memory_usage is bytes, an integer in the seed; the rest are floats
    const text = name === 'memory_usage' ? (Number.isFinite(value) ? int(value) : undefined) : float(value);
    if (text !== undefined) fields.push(`${escape.tag(name)}=${text}`);
  }
  if (fields.length === 0) return undefined;
  const key = seriesKey(MEASUREMENTS.systemMetrics, {
    component: point.component,
    instance: point.instance,
    host: point.host,
    metric_type: point.metricType,
  });
  return `${key} ${fields.join(',')} ${point.timeNs}`;
}

export function alertEventLine(event: AlertEventPoint): string {
  const key = seriesKey(MEASUREMENTS.alertEvents, {
    rule_id: event.ruleId,
    device_id: event.deviceId,
    tag_id: event.tagId,
    level: event.level,
    status: event.status,
  });
  const fields = [
    `triggered_value=${float(event.triggeredValue) ?? 0}`,
    `threshold_value=${float(event.thresholdValue) ?? 0}`,
    `duration=${int(event.durationSeconds)}`,
    `message="${escape.quoted(event.message)}"`,
  ];
  return `${key} ${fields.join(',')} ${event.timeNs}`;
}
