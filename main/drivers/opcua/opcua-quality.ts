// An OPC UA StatusCode → the tag's quality. Good values are good; Uncertain values are kept with
// UNCERTAIN quality; Bad values carry no value and a reason: the node does not exist (the tag's
// address is wrong), the server lost its source, or the device failed. The status code itself
// goes to DataFrame.error_code.
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';

export type StatusSeverity = 'good' | 'uncertain' | 'bad';

export function severityOf(code: number): StatusSeverity {
  const bits = (code >>> 30) & 0b11;
  return bits === 0 ? 'good' : bits === 1 ? 'uncertain' : 'bad';
}

const CONFIG_ERRORS = new Set([
  0x80340000, // BadNodeIdUnknown
  0x80330000, // BadNodeIdInvalid
  0x80350000, // BadAttributeIdInvalid
  0x80740000, // BadTypeMismatch
  0x803a0000, // BadNotReadable
  0x80360000, // BadIndexRangeInvalid
  0x80440000, // BadMonitoredItemFilterUnsupported
  0x80430000, // BadMonitoredItemFilterInvalid
  0x80450000, // BadFilterNotAllowed
]);

const NOT_CONNECTED = new Set([
  0x808a0000, // BadNotConnected
  0x80050000, // BadCommunicationError
  0x800d0000, // BadServerNotConnected
  0x80320000, // BadWaitingForInitialData
]);

export function badReasonOf(code: number): QualityReason {
  if (CONFIG_ERRORS.has(code)) return QualityReason.QUALITY_REASON_CONFIG_ERROR;
  if (NOT_CONNECTED.has(code)) return QualityReason.QUALITY_REASON_NOT_CONNECTED;
  if (code === 0x800a0000) return QualityReason.QUALITY_REASON_TIMEOUT; // BadTimeout
  return QualityReason.QUALITY_REASON_DEVICE_FAILURE;
}

export function qualityOf(code: number): Quality {
  const severity = severityOf(code);
  return severity === 'good'
    ? Quality.QUALITY_GOOD
    : severity === 'uncertain'
      ? Quality.QUALITY_UNCERTAIN
      : Quality.QUALITY_BAD;
}
