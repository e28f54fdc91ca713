// Frames as the API shows them: plain values with names instead of protobuf enums and oneofs,
// small enough to stream by the thousand (one object per tag update), typed for the renderer.
import {
  EventKind,
  Quality,
  QualityReason,
  Severity,
  type DataFrame,
  type EventFrame,
  type Value,
} from '../../proto/generated/frame.ts';
import type { QualityName, TagValue, TagValueView } from '../../common/live-values-message.ts';
import type { Frame } from '../frames/frame.ts';
import { nsToMs } from '../frames/frame-clock.ts';

export type { QualityName, TagValue, TagValueView };

const QUALITY_NAMES: Record<Quality, QualityName> = {
  [Quality.QUALITY_GOOD]: 'Good',
  [Quality.QUALITY_UNCERTAIN]: 'Uncertain',
  [Quality.QUALITY_BAD]: 'Bad',
};

export function tagValueOf(value: Value | undefined): TagValue {
  const kind = value?.kind;
  if (!kind) return null;
  switch (kind.$case) {
    case 'bytesValue':
      return Buffer.from(kind.value).toString('hex');
    case 'timestampValue':
      return new Date(nsToMs(kind.value));
    case 'intValue':
    case 'uintValue':
      // exact as a number when it fits, a bigint beyond 2^53
      return Number.isSafeInteger(Number(kind.value)) ? Number(kind.value) : kind.value;
    default:
      return kind.value;
  }
}

/** "QUALITY_REASON_TIMEOUT" → "TIMEOUT" */
export function qualityReasonName(reason: QualityReason): string | null {
  if (reason === QualityReason.QUALITY_REASON_NONE) return null;
  return (QualityReason[reason] ?? 'UNRECOGNIZED').replace(/^QUALITY_REASON_/, '');
}

export function tagValueView(payload: DataFrame, sequenceId: number): TagValueView {
  return {
    tagId: payload.tagId,
    deviceId: payload.deviceId,
    value: tagValueOf(payload.value),
    quality: QUALITY_NAMES[payload.quality] ?? 'Bad',
    reason: qualityReasonName(payload.qualityReason),
    errorCode: payload.errorCode,
    sourceTime: nsToMs(payload.sourceTimestamp),
    sequenceId,
  };
}

export const EVENT_KIND_NAMES = ['deviceStatus', 'alert', 'driverState', 'system'] as const;
export type EventKindName = (typeof EVENT_KIND_NAMES)[number];

const KIND_NAMES: Partial<Record<EventKind, EventKindName>> = {
  [EventKind.EVENT_KIND_DEVICE_STATUS]: 'deviceStatus',
  [EventKind.EVENT_KIND_ALERT]: 'alert',
  [EventKind.EVENT_KIND_DRIVER_STATE]: 'driverState',
  [EventKind.EVENT_KIND_SYSTEM]: 'system',
};

export function eventKindName(kind: EventKind): EventKindName | undefined {
  return KIND_NAMES[kind];
}

/** The seed's alert_level names. */
export type SeverityName = 'INFO' | 'WARNING' | 'CRITICAL' | 'FATAL';

const SEVERITY_NAMES: Record<Severity, SeverityName> = {
  [Severity.SEVERITY_INFO]: 'INFO',
  [Severity.SEVERITY_WARNING]: 'WARNING',
  [Severity.SEVERITY_CRITICAL]: 'CRITICAL',
  [Severity.SEVERITY_FATAL]: 'FATAL',
};

type EventDetail = NonNullable<EventFrame['detail']>;
type DetailOf<Case extends EventDetail['$case']> = Extract<EventDetail, { $case: Case }>['value'];

export type EventView = {
  sequenceId: number;
  /** when the bus accepted it */
  time: Date;
  severity: SeverityName;
  message: string;
} & (
  | { kind: 'deviceStatus'; deviceStatus: DetailOf<'deviceStatus'> }
  | { kind: 'alert'; alert: DetailOf<'alert'> }
  | { kind: 'driverState'; driverState: DetailOf<'driverState'> }
  | { kind: 'system'; system: DetailOf<'system'> }
);

/** An EventFrame as the API shows it; undefined for an event whose kind and detail disagree. */
export function eventView(frame: Extract<Frame, { type: 'event' }>): EventView | undefined {
  const { payload } = frame;
  const base = {
    sequenceId: frame.sequenceId,
    time: new Date(nsToMs(frame.timestamp)),
    severity: SEVERITY_NAMES[payload.severity] ?? 'INFO',
    message: payload.message,
  };
  const detail = payload.detail;
  if (!detail || eventKindName(payload.kind) !== detail.$case) return undefined;
  switch (detail.$case) {
    case 'deviceStatus':
      return { ...base, kind: 'deviceStatus', deviceStatus: detail.value };
    case 'alert':
      return { ...base, kind: 'alert', alert: detail.value };
    case 'driverState':
      return { ...base, kind: 'driverState', driverState: detail.value };
    case 'system':
      return { ...base, kind: 'system', system: detail.value };
  }
}
