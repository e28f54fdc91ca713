// Sparkplug B payloads (the protobuf of proto/sparkplug_b.proto): decoding with the metric values
// typed by their Sparkplug datatype, the value a tag of a given data type takes from a metric,
// and the one payload the gateway ever publishes, the NCMD "Node Control/Rebirth" request.
import type { TagDataType } from '../../../common/enums.ts';
import { Payload, type Payload_Metric } from '../../../proto/generated/sparkplug_b.ts';
import type { DriverValue } from '../driver-contract.ts';
import { integerRange } from '../modbus/register-codec.ts';

/** Sparkplug 3.0 DataType numbers → names (0 Unknown: a DATA message that leaves it out). */
export const SPARKPLUG_DATA_TYPES: Readonly<Record<number, string>> = {
  1: 'Int8',
  2: 'Int16',
  3: 'Int32',
  4: 'Int64',
  5: 'UInt8',
  6: 'UInt16',
  7: 'UInt32',
  8: 'UInt64',
  9: 'Float',
  10: 'Double',
  11: 'Boolean',
  12: 'String',
  13: 'DateTime',
  14: 'Text',
  15: 'UUID',
  16: 'DataSet',
  17: 'Bytes',
  18: 'File',
  19: 'Template',
  20: 'PropertySet',
  21: 'PropertySetList',
  22: 'Int8Array',
  23: 'Int16Array',
  24: 'Int32Array',
  25: 'Int64Array',
  26: 'UInt8Array',
  27: 'UInt16Array',
  28: 'UInt32Array',
  29: 'UInt64Array',
  30: 'FloatArray',
  31: 'DoubleArray',
  32: 'BooleanArray',
  33: 'StringArray',
  34: 'DateTimeArray',
};

export const SPARKPLUG_BOOLEAN = 11;
const DATE_TIME = 13;

export class SparkplugPayloadError extends Error {
  override readonly name = 'SparkplugPayloadError';
}

export type SparkplugValue = boolean | number | bigint | string | Uint8Array;

export interface SparkplugMetric {
  /** '' when the metric carries only its alias (DATA messages) */
  name: string;
  /** 0 also when the payload leaves it out (protobuf cannot tell 0 from absent) */
  alias: bigint;
  /** ms since the Unix epoch; undefined when absent */
  timestampMs: bigint | undefined;
  /** 0 when absent */
  dataType: number;
  isNull: boolean;
  isHistorical: boolean;
  /** the value as it is on the wire, before typing */
  wire: Payload_Metric['value'];
}

export interface SparkplugPayload {
  timestampMs: bigint | undefined;
  seq: bigint;
  metrics: SparkplugMetric[];
}

/** Decodes a payload; throws SparkplugPayloadError with what is wrong. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload {
  let payload: Payload;
  try {
    payload = Payload.decode(bytes);
  } catch (error) {
    throw new SparkplugPayloadError(`not a Sparkplug B payload (${(error as Error).message})`);
  }
  return {
    timestampMs: payload.timestamp ? payload.timestamp : undefined,
    seq: payload.seq ?? 0n,
    metrics: payload.metrics.map((metric) => ({
      name: metric.name ?? '',
      alias: metric.alias ?? 0n,
      timestampMs: metric.timestamp ? metric.timestamp : undefined,
      dataType: metric.datatype ?? 0,
      isNull: metric.isNull ?? false,
      isHistorical: metric.isHistorical ?? false,
      wire: metric.value,
    })),
  };
}

export function dataTypeName(dataType: number): string {
  return SPARKPLUG_DATA_TYPES[dataType] ?? `DataType ${dataType}`;
}

// Plain functions, not closures per call: this runs once per metric of every message.
function mismatch(dataType: number, wire: NonNullable<Payload_Metric['value']>): SparkplugPayloadError {
  return new SparkplugPayloadError(
    `a ${dataTypeName(dataType)} metric carries a ${wire.$case.replace('Value', '')} value`,
  );
}

function misfit(tagType: TagDataType, value: SparkplugValue, dataType: number): string {
  const shown = value instanceof Uint8Array ? `${value.length} bytes` : String(value);
  return `a ${dataTypeName(dataType)} value (${shown}) does not fit a ${tagType} tag`;
}

/**
 * A metric's value typed by its Sparkplug datatype (from the BIRTH when DATA leaves it out):
 * Int8…Int32 sign-extended from their low bits (publishers send them both zero- and
 * sign-extended), Int64 and UInt64 as bigint, DateTime as epoch ms. Throws SparkplugPayloadError
 * when the wire value does not fit the datatype.
 */
export function metricValue(dataType: number, wire: NonNullable<Payload_Metric['value']>): SparkplugValue {
  switch (dataType) {
    case 1:
    case 2:
    case 3:
    case 5:
    case 6:
    case 7: {
      if (wire.$case !== 'intValue') throw mismatch(dataType, wire);
      const v = wire.value;
      if (dataType === 1) return (v << 24) >> 24;
      if (dataType === 2) return (v << 16) >> 16;
      if (dataType === 3) return v | 0;
      if (dataType === 5) return v & 0xff;
      if (dataType === 6) return v & 0xffff;
      return v >>> 0;
    }
    case 4:
    case 8:
    case DATE_TIME: {
      if (wire.$case !== 'longValue') throw mismatch(dataType, wire);
      if (dataType === 4) return BigInt.asIntN(64, wire.value);
      return dataType === DATE_TIME ? Number(wire.value) : wire.value;
    }
    case 9:
      if (wire.$case !== 'floatValue') throw mismatch(dataType, wire);
      return wire.value;
    case 10:
      if (wire.$case !== 'doubleValue') throw mismatch(dataType, wire);
      return wire.value;
    case SPARKPLUG_BOOLEAN:
      if (wire.$case !== 'booleanValue') throw mismatch(dataType, wire);
      return wire.value;
    case 12:
    case 14:
    case 15:
      if (wire.$case !== 'stringValue') throw mismatch(dataType, wire);
      return wire.value;
    default:
      // Bytes, File, arrays; and a datatype we do not know: the value as it came (bytes copied
      // out of the MQTT packet's buffer, which they would otherwise keep alive)
      return wire.$case === 'bytesValue' ? new Uint8Array(wire.value) : wire.value;
  }
}

/**
 * The raw value a tag of `tagType` takes from a metric's typed value; a sentence when it cannot
 * (a number that does not fit an integer type, text on a number tag, …).
 */
export function tagValueOf(tagType: TagDataType, value: SparkplugValue, dataType: number): DriverValue | string {
  if (tagType === 'ByteArray') {
    if (value instanceof Uint8Array) return value;
    return typeof value === 'string' ? new TextEncoder().encode(value) : misfit(tagType, value, dataType);
  }
  if (tagType === 'String') {
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return misfit(tagType, value, dataType);
    return dataType === DATE_TIME ? new Date(Number(value)).toISOString() : String(value);
  }
  if (tagType === 'Boolean') {
    if (typeof value === 'boolean') return value;
    const number = typeof value === 'number' || typeof value === 'bigint' ? Number(value) : NaN;
    return number === 0 || number === 1 ? number === 1 : misfit(tagType, value, dataType);
  }
  if (typeof value === 'string' || value instanceof Uint8Array) return misfit(tagType, value, dataType);
  const range = integerRange(tagType);
  if (range) {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number' && !Number.isInteger(value)) return misfit(tagType, value, dataType);
    const integer = BigInt(value);
    if (integer < range[0] || integer > range[1]) return misfit(tagType, value, dataType);
    return tagType === 'Int64' || tagType === 'UInt64' ? integer : Number(integer);
  }
  // Float, Double, DateTime (epoch ms)
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number(value);
}

/** The NCMD payload that asks an edge node to publish its NBIRTH and DBIRTHs again. */
export function rebirthRequest(nowMs = Date.now()): Uint8Array {
  return Payload.encode({
    timestamp: BigInt(nowMs),
    metrics: [
      {
        name: 'Node Control/Rebirth',
        timestamp: BigInt(nowMs),
        datatype: SPARKPLUG_BOOLEAN,
        value: { $case: 'booleanValue', value: true },
      },
    ],
  }).finish();
}

/** A decoded metric's value in JSON-safe form for the explorer (bigint as text, bytes as hex). */
export function displayValue(value: SparkplugValue): string | number | boolean {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.subarray(0, 64)).toString('hex');
  return value;
}
