// Frames as historian points: DataFrames become device_data samples, alert EventFrames become
// alert_events. Only numeric values (and booleans as 0/1) are historized: device_data's `value`
// is a float field, and a string in it would make InfluxDB refuse the whole series' shard.
import type { Frame } from '../frames/frame.ts';
import type { DataFrame, Value } from '../../proto/generated/frame.ts';
import type { AlertEventPoint, DevicePoint } from './historian-points.ts';

export function numericValue(value: Value | undefined): number | undefined {
  const kind = value?.kind;
  switch (kind?.$case) {
    case 'doubleValue':
      return kind.value;
    case 'intValue':
    case 'uintValue':
      return Number(kind.value);
    case 'boolValue':
      return kind.value ? 1 : 0;
    default:
      return undefined;
  }
}

export function devicePoint(frame: Frame & { type: 'data' }): DevicePoint | undefined {
  const payload: DataFrame = frame.payload;
  const value = numericValue(payload.value);
  if (value === undefined || !payload.tagId) return undefined;
  return {
    tagId: payload.tagId,
    deviceId: payload.deviceId,
    // the device's own sampling time when it gave one, else when the bus took the frame
    timeNs: payload.sourceTimestamp > 0n ? payload.sourceTimestamp : frame.timestamp,
    value,
    rawValue: Number.isFinite(payload.rawValue) ? payload.rawValue : value,
    quality: payload.quality,
    errorCode: payload.errorCode,
  };
}

export function alertEventPoint(frame: Frame & { type: 'event' }): AlertEventPoint | undefined {
  const detail = frame.payload.detail;
  if (detail?.$case !== 'alert') return undefined;
  const alert = detail.value;
  return {
    ruleId: alert.ruleId,
    deviceId: alert.deviceId,
    tagId: alert.tagId,
    level: alert.level,
    status: alert.status,
    timeNs: frame.timestamp,
    triggeredValue: alert.triggeredValue,
    thresholdValue: alert.thresholdValue,
    durationSeconds: alert.durationSeconds,
    message: alert.message || frame.payload.message,
  };
}
