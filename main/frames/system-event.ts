// System events (WAL corruption, retention drops, backpressure, write failures) as EventFrames,
// so they travel like every other frame: to the UI live, and through the WAL to the historian.
import { EventKind, Severity } from '../../proto/generated/frame.ts';
import type { FrameBody } from './frame.ts';

export interface SystemEventInput {
  /** A stable machine-readable code, e.g. "wal.corrupt_frames". */
  code: string;
  severity: 'info' | 'warning' | 'critical' | 'fatal';
  /** A sentence for the user. */
  message: string;
  details?: Record<string, string | number>;
}

const severities: Record<SystemEventInput['severity'], Severity> = {
  info: Severity.SEVERITY_INFO,
  warning: Severity.SEVERITY_WARNING,
  critical: Severity.SEVERITY_CRITICAL,
  fatal: Severity.SEVERITY_FATAL,
};

export function systemEventBody(event: SystemEventInput): FrameBody {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.details ?? {})) details[key] = String(value);
  return {
    type: 'event',
    payload: {
      kind: EventKind.EVENT_KIND_SYSTEM,
      severity: severities[event.severity],
      message: event.message,
      detail: { $case: 'system', value: { code: event.code, details } },
    },
  };
}
