// What the MQTT explorer shows of a Sparkplug B message: its type, node, seq and metrics with
// their names, datatypes and values, each with the tag address and data type that would map it.
// DATA metrics that carry only an alias are named from a BIRTH seen earlier in the same listening
// window (the explorer also remembers BIRTHs across windows).
import type { TagDataType } from '../../../common/enums.ts';
import { parseSparkplugTopic, sparkplugKey, SPARKPLUG_NAMESPACE } from './sparkplug-address.ts';
import {
  dataTypeName,
  decodeSparkplugPayload,
  displayValue,
  metricValue,
  SparkplugPayloadError,
} from './sparkplug-payload.ts';

export interface SniffedMetric {
  /** null when the message carries only the alias and no BIRTH named it */
  name: string | null;
  /** "0" also when the payload has none */
  alias: string;
  dataType: string;
  /** bigint as text, bytes as hex, DateTime as ISO 8601; null when is_null or no value */
  value: string | number | boolean | null;
  isNull: boolean;
  /** ms since the Unix epoch */
  timestamp: number | null;
  /** the tag address that maps this metric, when it is named */
  address: string | null;
  /** the tag data type for it; null for DataSet, Template and other types a tag cannot take */
  tagDataType: TagDataType | null;
}

export interface SniffedSparkplug {
  type: string;
  group: string;
  node: string;
  device: string | null;
  seq: number | null;
  metrics: SniffedMetric[];
  /** why the payload could not be decoded; null when it could */
  problem: string | null;
  /** one line for the topic list: type, seq, name=value… */
  summary: string;
}

/** alias → name and datatype (null: shared by several metrics), per node or device, from the BIRTHs seen */
export type SparkplugBirths = Map<string, Map<string, { name: string; dataType: number } | null>>;

const TAG_TYPES: Readonly<Record<string, TagDataType>> = {
  Int8: 'Int8',
  Int16: 'Int16',
  Int32: 'Int32',
  Int64: 'Int64',
  UInt8: 'UInt8',
  UInt16: 'UInt16',
  UInt32: 'UInt32',
  UInt64: 'UInt64',
  Float: 'Float',
  Double: 'Double',
  Boolean: 'Boolean',
  String: 'String',
  Text: 'String',
  UUID: 'String',
  DateTime: 'DateTime',
  Bytes: 'ByteArray',
  File: 'ByteArray',
};

const MAX_METRICS = 500;

export function describeSparkplug(
  topic: string,
  payload: Uint8Array,
  births: SparkplugBirths,
): SniffedSparkplug | null {
  if (!topic.startsWith(`${SPARKPLUG_NAMESPACE}/`)) return null;
  const where = parseSparkplugTopic(topic);
  if (!where) return null;
  const key = sparkplugKey(where.group, where.node, where.device);
  const base = `${SPARKPLUG_NAMESPACE}/${key}`;
  const described: SniffedSparkplug = {
    type: where.type,
    group: where.group,
    node: where.node,
    device: where.device ?? null,
    seq: null,
    metrics: [],
    problem: null,
    summary: '',
  };
  let decoded;
  try {
    decoded = decodeSparkplugPayload(payload);
  } catch (error) {
    if (!(error instanceof SparkplugPayloadError)) throw error;
    described.problem = error.message;
    described.summary = `${where.type}: ${error.message}`;
    return described;
  }
  const isBirth = where.type.endsWith('BIRTH');
  const known = isBirth ? new Map<string, { name: string; dataType: number } | null>() : births.get(key);
  if (isBirth) births.set(key, known as Map<string, { name: string; dataType: number } | null>);
  described.seq = where.type === 'NDEATH' ? null : Number(decoded.seq);
  for (const metric of decoded.metrics.slice(0, MAX_METRICS)) {
    const alias = metric.alias.toString();
    if (isBirth && metric.name) {
      known?.set(alias, known.has(alias) ? null : { name: metric.name, dataType: metric.dataType });
    }
    const birth = metric.name ? undefined : known?.get(alias);
    const name = metric.name || birth?.name || null;
    const dataType = metric.dataType || birth?.dataType || 0;
    let value: SniffedMetric['value'] = null;
    if (!metric.isNull && metric.wire !== undefined) {
      try {
        const typed = metricValue(dataType, metric.wire);
        value = dataType === 13 ? new Date(Number(typed)).toISOString() : displayValue(typed);
      } catch (error) {
        if (!(error instanceof SparkplugPayloadError)) throw error;
        value = `(${error.message})`;
      }
    }
    described.metrics.push({
      name,
      alias,
      dataType: dataType === 0 ? 'Unknown' : dataTypeName(dataType),
      value,
      isNull: metric.isNull,
      timestamp: metric.timestampMs === undefined ? null : Number(metric.timestampMs),
      address: name === null ? null : `${base}|${name}`,
      tagDataType: TAG_TYPES[dataTypeName(dataType)] ?? null,
    });
  }
  const seq = described.seq === null ? '' : ` seq ${described.seq}`;
  const values = described.metrics.map((metric) => `${metric.name ?? `alias ${metric.alias}`}=${metric.value}`);
  described.summary = `${where.type}${seq}: ${values.join(', ')}`.slice(0, 512);
  return described;
}
