// The protocol-neutral half of the tag codec: a driver's raw value → the engineering value of a
// DataFrame (value = raw * scaling + tag_offset, min/max → Uncertain, deadband), and an engineering
// value from a write → the raw value the driver encodes. Every driver shares it.
import { TAG_DATA_TYPES, type TagDataType } from '../../common/enums.ts';
import type { DriverValue } from '../drivers/driver-contract.ts';
import { Quality, QualityReason, type Value } from '../../proto/generated/frame.ts';

/** The columns of a `tags` row that shape its engineering value. */
export interface EngineeringTag {
  name: string;
  dataType: TagDataType;
  scaling: number | null;
  tagOffset: number | null;
  minValue: number | null;
  maxValue: number | null;
  deadband: number | null;
}

export interface EngineeringValue {
  value: Value;
  /** the raw value as a number, for DataFrame.raw_value (0 for text and bytes) */
  raw: number;
  /** the engineering value as a number, for range and deadband checks; undefined for text and bytes */
  numeric: number | undefined;
  quality: Quality;
  reason: QualityReason;
}

export class WriteValueError extends Error {
  override readonly name = 'WriteValueError';
}

const INTEGER: ReadonlySet<TagDataType> = new Set(TAG_DATA_TYPES.filter((type) => type.includes('Int')));
const UNSIGNED: ReadonlySet<TagDataType> = new Set(TAG_DATA_TYPES.filter((type) => type.startsWith('UInt')));

function isScaled(tag: EngineeringTag): boolean {
  return (tag.scaling ?? 1) !== 1 || (tag.tagOffset ?? 0) !== 0;
}

export function toEngineering(tag: EngineeringTag, raw: DriverValue): EngineeringValue {
  if (typeof raw === 'boolean') {
    return {
      value: { kind: { $case: 'boolValue', value: raw } },
      raw: raw ? 1 : 0,
      numeric: raw ? 1 : 0,
      quality: Quality.QUALITY_GOOD,
      reason: QualityReason.QUALITY_REASON_NONE,
    };
  }
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    return {
      value: {
        kind: typeof raw === 'string' ? { $case: 'stringValue', value: raw } : { $case: 'bytesValue', value: raw },
      },
      raw: 0,
      numeric: undefined,
      quality: Quality.QUALITY_GOOD,
      reason: QualityReason.QUALITY_REASON_NONE,
    };
  }
  const rawNumber = Number(raw);
  let value: Value;
  let numeric: number;
  if (isScaled(tag)) {
    numeric = rawNumber * (tag.scaling ?? 1) + (tag.tagOffset ?? 0);
    value = { kind: { $case: 'doubleValue', value: numeric } };
  } else if (INTEGER.has(tag.dataType)) {
    // Unscaled integers stay exact, also beyond 2^53 (Int64/UInt64 arrive as bigint).
    const integer = typeof raw === 'bigint' ? raw : BigInt(raw);
    numeric = rawNumber;
    value = {
      kind: UNSIGNED.has(tag.dataType) ? { $case: 'uintValue', value: integer } : { $case: 'intValue', value: integer },
    };
  } else {
    numeric = rawNumber;
    value = { kind: { $case: 'doubleValue', value: numeric } };
  }
  let quality = Quality.QUALITY_GOOD;
  let reason = QualityReason.QUALITY_REASON_NONE;
  if (!Number.isFinite(numeric)) {
    // A device float that is NaN or infinite usually means a broken sensor.
    quality = Quality.QUALITY_BAD;
    reason = QualityReason.QUALITY_REASON_DECODE_ERROR;
  } else if ((tag.minValue !== null && numeric < tag.minValue) || (tag.maxValue !== null && numeric > tag.maxValue)) {
    quality = Quality.QUALITY_UNCERTAIN;
    reason = QualityReason.QUALITY_REASON_OUT_OF_RANGE;
  }
  return { value, raw: rawNumber, numeric, quality, reason };
}

/**
 * Whether a new good value is worth publishing after `previous`: with no deadband every scan is
 * published; with one, only a change larger than it (0: any change). Text and bytes publish on change.
 */
export function passesDeadband(
  deadband: number | null,
  previous: EngineeringValue | undefined,
  next: EngineeringValue,
): boolean {
  if (!previous || deadband === null) return true;
  if (previous.quality !== next.quality || previous.reason !== next.reason) return true;
  if (previous.numeric !== undefined && next.numeric !== undefined) {
    if (Number.isNaN(previous.numeric) !== Number.isNaN(next.numeric)) return true;
    return Math.abs(next.numeric - previous.numeric) > deadband;
  }
  return !sameValue(previous.value, next.value);
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind?.$case !== b.kind?.$case) return false;
  const x = a.kind?.value;
  const y = b.kind?.value;
  if (x instanceof Uint8Array && y instanceof Uint8Array) {
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  return x === y;
}

/** A Value as a JavaScript value, for messages and the write path. */
export function valueOf(value: Value | undefined): DriverValue | undefined {
  return value?.kind?.value;
}

/**
 * The raw value a write must send for an engineering value: checks the tag's min/max and type,
 * then undoes scaling and offset (rounding to the nearest whole number for integer types).
 * Throws WriteValueError with a sentence naming the tag.
 */
export function toRawWrite(tag: EngineeringTag, value: Value | undefined): DriverValue {
  const given = valueOf(value);
  if (given === undefined) throw new WriteValueError(`the write to '${tag.name}' carries no value`);
  if (tag.dataType === 'String') {
    if (typeof given !== 'string') throw new WriteValueError(`'${tag.name}' is a String tag; write text`);
    return given;
  }
  if (tag.dataType === 'ByteArray') {
    if (!(given instanceof Uint8Array)) throw new WriteValueError(`'${tag.name}' is a ByteArray tag; write bytes`);
    return given;
  }
  if (tag.dataType === 'Boolean') {
    if (typeof given === 'boolean') return given;
    if ((typeof given === 'number' || typeof given === 'bigint') && (Number(given) === 0 || Number(given) === 1)) {
      return Number(given) === 1;
    }
    throw new WriteValueError(`'${tag.name}' is a Boolean tag; write true or false (or 1 / 0)`);
  }
  if (typeof given !== 'number' && typeof given !== 'bigint') {
    throw new WriteValueError(`'${tag.name}' is a ${tag.dataType} tag; write a number`);
  }
  const numeric = Number(given);
  if (Number.isNaN(numeric)) throw new WriteValueError(`NaN cannot be written to '${tag.name}'`);
  if ((tag.minValue !== null && numeric < tag.minValue) || (tag.maxValue !== null && numeric > tag.maxValue)) {
    throw new WriteValueError(
      `${numeric} is outside the range of '${tag.name}' (${tag.minValue ?? '−∞'} … ${tag.maxValue ?? '+∞'})`,
    );
  }
  if (!isScaled(tag)) {
    if (INTEGER.has(tag.dataType)) {
      if (typeof given === 'bigint') return given;
      if (!Number.isInteger(given)) {
        throw new WriteValueError(`'${tag.name}' is a ${tag.dataType} tag; ${given} is not a whole number`);
      }
      return given;
    }
    return numeric;
  }
  const raw = (numeric - (tag.tagOffset ?? 0)) / (tag.scaling ?? 1);
  return INTEGER.has(tag.dataType) ? Math.round(raw) : raw;
}
