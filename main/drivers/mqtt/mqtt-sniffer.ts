// Topic sniffing for commissioning: listen on a broker for a few seconds and show what arrives —
// topics, sizes, a preview, and for JSON payloads the leaf paths with their values, i.e. the
// "topic|path" addresses a tag can map; Sparkplug B payloads decoded into their metrics (name,
// datatype, value, and the spBv1.0 address a tag maps). Listening only: nothing is published.
import mqtt from 'mqtt';
import { OperationRefusedError } from '../../gateway/operation-refused-error.ts';
import { type DriverError } from '../driver-contract.ts';
import { classifyMqttError, mqttClientOptions, parseMqttConnection } from './mqtt-connection-settings.ts';
import { validTopicFilter } from './mqtt-topic-mapping.ts';
import { describeSparkplug, type SniffedSparkplug, type SparkplugBirths } from './sparkplug-sniffing.ts';

export interface SniffedMessage {
  topic: string;
  bytes: number;
  retained: boolean;
  qos: number;
  /** the first 512 characters of the payload as text */
  preview: string;
  /** JSON payloads: leaf paths and their values (at most 50); null for other payloads */
  paths: Array<{ path: string; value: unknown }> | null;
  /** spBv1.0 payloads decoded; null for other topics */
  sparkplug: SniffedSparkplug | null;
}

export interface SniffResult {
  messages: SniffedMessage[];
  /** messages that arrived after maxMessages */
  dropped: number;
}

export function leafPaths(value: unknown, prefix = '', out: Array<{ path: string; value: unknown }> = []) {
  if (out.length >= 50) return out;
  if (Array.isArray(value)) {
    value.slice(0, 20).forEach((item, i) => leafPaths(item, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) leafPaths(item, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push({ path: prefix || '$', value });
  }
  return out;
}

function describe(
  topic: string,
  payload: Buffer,
  retained: boolean,
  qos: number,
  births: SparkplugBirths,
): SniffedMessage {
  const sparkplug = describeSparkplug(topic, payload, births);
  if (sparkplug) {
    return { topic, bytes: payload.length, retained, qos, preview: sparkplug.summary, paths: null, sparkplug };
  }
  const text = payload.subarray(0, 65_536).toString('utf8');
  let paths: SniffedMessage['paths'] = null;
  if (payload.length <= 65_536 && /^\s*[[{]/.test(text)) {
    try {
      paths = leafPaths(JSON.parse(text));
    } catch {
      paths = null;
    }
  }
  return { topic, bytes: payload.length, retained, qos, preview: text.slice(0, 512), paths, sparkplug: null };
}

export async function sniffTopics(input: {
  endpoint: string;
  mqtt?: Record<string, unknown>;
  filter: string;
  durationMs: number;
  maxMessages: number;
}): Promise<SniffResult> {
  let settings;
  try {
    settings = parseMqttConnection(input.endpoint, input.mqtt, 'mqtt');
  } catch (error) {
    const problem = error as DriverError;
    throw new OperationRefusedError('invalid', problem.message, { field: problem.field ?? 'endpoint' });
  }
  if (!validTopicFilter(input.filter)) {
    throw new OperationRefusedError('invalid', `"${input.filter}" is not a topic filter`, { field: 'filter' });
  }
  let client;
  try {
    client = await mqtt.connectAsync(settings.url, mqttClientOptions(settings, 5000));
  } catch (error) {
    const problem = classifyMqttError(error, settings.url);
    throw new OperationRefusedError('invalid', problem.message, {
      field: problem.field ?? 'endpoint',
      reason: `MQTT_${problem.kind.toUpperCase()}`,
    });
  }
  const result: SniffResult = { messages: [], dropped: 0 };
  const births: SparkplugBirths = new Map();
  try {
    client.on('message', (topic, payload, packet) => {
      if (result.messages.length >= input.maxMessages) result.dropped++;
      else result.messages.push(describe(topic, payload, packet.retain, packet.qos, births));
    });
    await client.subscribeAsync(input.filter, { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, input.durationMs));
  } finally {
    await client.endAsync(true).catch(() => undefined);
  }
  return result;
}
