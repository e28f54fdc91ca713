// The MQTT southbound driver: one broker connection per device, one subscription per distinct
// topic filter of its tags (wildcards allowed), each message mapped to the tags whose filter
// matches it. Oversized, malformed and unmapped messages are counted and never crash anything;
// the tags they concern turn Bad with the reason. The connection does not reconnect by itself:
// a lost connection is reported and the device runner reconnects with its backoff.
import mqtt, { type MqttClient } from 'mqtt';
import { TAG_DATA_TYPES, type TagDataType } from '../../../common/enums.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import {
  DriverError,
  type Driver,
  type DriverCapabilities,
  type DriverInit,
  type DriverTag,
  type DriverValue,
  type ScanOutcome,
  type TagReading,
  type WriteOutcome,
} from '../driver-contract.ts';
import { PushedReadings } from '../pushed-readings.ts';
import {
  classifyMqttError,
  mqttClientOptions,
  parseMqttConnection,
  type MqttConnectionSettings,
} from './mqtt-connection-settings.ts';
import { readingsOf, type MappedTag } from './mqtt-payload.ts';
import { MappingError, parseTopicMapping, topicMatches } from './mqtt-topic-mapping.ts';
import { isSparkplugAddress, parseSparkplugAddress, SPARKPLUG_NAMESPACE } from './sparkplug-address.ts';
import { SparkplugHost, type SparkplugTag } from './sparkplug-host.ts';

export const MQTT_DATA_TYPES: readonly TagDataType[] = TAG_DATA_TYPES;

export function mqttCapabilities(): DriverCapabilities {
  return {
    read: true,
    write: true,
    polling: false,
    dataTypes: MQTT_DATA_TYPES,
    features: [
      'mqtt-3.1.1',
      'mqtt-5',
      'tls',
      'wildcards',
      'json-path',
      'payload-timestamps',
      'qos-0-1-2',
      'sparkplug-b',
    ],
  };
}

/** What the driver counted since it was created (shown in drivers.deviceStatus → runtime.counters). */
export interface MqttDriverCounters {
  [name: string]: number;
  messages: number;
  /** messages that gave at least one tag its value */
  mapped: number;
  /** payloads a tag could not take its value from (not JSON, wrong type, path missing) */
  malformed: number;
  /** payloads above maxPayloadBytes: dropped unread */
  oversized: number;
  /** messages on a topic no tag maps */
  unmapped: number;
  /** connections made again after a lost one */
  reconnects: number;
}

const TOPIC_CACHE_LIMIT = 10_000;

/** Resolves on the CONNACK; rejects (and ends the client) on an error or a close before it. */
function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
      if (!error) return resolve();
      client.end(true);
      reject(error);
    };
    const onConnect = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error("Couldn't connect to server"));
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}

export class MqttDriver implements Driver {
  private settings: MqttConnectionSettings | undefined;
  private timeoutMs = 5000;
  private readings: PushedReadings | undefined;
  private push: ((outcome: ScanOutcome) => void) | undefined;
  private mapped: MappedTag[] = [];
  private invalid: TagReading[] = [];
  private readonly byTopic = new Map<string, MappedTag[]>();
  private client: MqttClient | undefined;
  /** the tags with spBv1.0 addresses; undefined when there are none */
  private sparkplug: SparkplugHost | undefined;
  private connections = 0;
  private readonly counted: MqttDriverCounters = {
    messages: 0,
    mapped: 0,
    malformed: 0,
    oversized: 0,
    unmapped: 0,
    reconnects: 0,
  };

  capabilities(): DriverCapabilities {
    return mqttCapabilities();
  }

  initialise({ device, settings, groups, push }: DriverInit): Promise<void> {
    if (device.protocol !== 'Mqtt') {
      throw new DriverError('config', `device '${device.name}' speaks ${device.protocol}, not Mqtt`);
    }
    if (!push) throw new Error('the MQTT driver is pushed values: initialise() needs push');
    this.settings = parseMqttConnection(device.endpoint, device.config.mqtt, 'config.mqtt');
    this.timeoutMs = settings.timeoutMs;
    this.push = push;
    this.readings = new PushedReadings(push);
    this.mapped = [];
    this.invalid = [];
    this.byTopic.clear();
    const sparkplugTags: SparkplugTag[] = [];
    for (const tag of groups.flatMap((group) => group.tags)) {
      try {
        if (isSparkplugAddress(tag.address)) sparkplugTags.push({ tag, address: parseSparkplugAddress(tag.address) });
        else this.mapped.push({ tag, mapping: parseTopicMapping(tag.address) });
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        this.invalid.push({
          tagId: tag.id,
          ok: false,
          quality: Quality.QUALITY_BAD,
          reason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
          errorCode: 0,
          message: `tag '${tag.name}', address '${tag.address}': ${error.message}`,
        });
      }
    }
    this.sparkplug =
      sparkplugTags.length > 0
        ? new SparkplugHost(sparkplugTags, { allowCommands: this.settings.options.sparkplug.allowCommands })
        : undefined;
    return Promise.resolve();
  }

  counters(): MqttDriverCounters {
    return { ...this.counted };
  }

  async connect(): Promise<void> {
    const settings = this.settings;
    if (!settings) throw new Error('the MQTT driver is not initialised');
    await this.close();
    // Listening before the CONNACK: a persistent session's queued messages follow it at once, in
    // the same read, and mqtt.js hands them out before a connectAsync() caller could listen.
    const client = mqtt.connect(settings.url, mqttClientOptions(settings, this.timeoutMs));
    client.on('error', () => undefined); // connected() or 'close' reports it
    client.on('message', (topic, payload) => {
      if (this.client === client) this.onMessage(topic, payload);
    });
    this.client = client;
    try {
      await connected(client);
    } catch (error) {
      this.client = undefined;
      throw classifyMqttError(error, settings.url);
    }
    if (this.connections++ > 0) this.counted.reconnects++;
    client.once('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.push?.({
        readings: [],
        answered: false,
        connectionLost: new DriverError('unreachable', `the connection to ${settings.url} was lost`),
      });
    });
    const filters = [...new Set(this.mapped.map((entry) => entry.mapping.filter))];
    filters.push(...(this.sparkplug?.filters() ?? []));
    if (filters.length > 0) {
      const granted = await client.subscribeAsync(
        Object.fromEntries(filters.map((filter) => [filter, { qos: settings.options.qos }])),
      );
      const refused = new Set(granted.filter((grant) => grant.qos >= 128).map((grant) => grant.topic));
      if (refused.size > 0) {
        this.readings?.add(
          this.mapped
            .filter((entry) => refused.has(entry.mapping.filter))
            .map((entry) => ({
              tagId: entry.tag.id,
              ok: false as const,
              quality: Quality.QUALITY_BAD,
              reason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
              errorCode: 0x80,
              message: `the broker refused the subscription to '${entry.mapping.filter}' (not allowed for this user?)`,
            })),
        );
        if (this.sparkplug) this.readings?.add(this.sparkplug.refused(refused));
      }
    }
    if (this.invalid.length > 0) this.readings?.add(this.invalid);
    if (this.sparkplug) {
      const { readings, rebirths } = this.sparkplug.resync();
      this.readings?.add(readings);
      for (const rebirth of rebirths) this.requestRebirth(rebirth);
    }
  }

  private tagsFor(topic: string): MappedTag[] {
    let tags = this.byTopic.get(topic);
    if (!tags) {
      tags = this.mapped.filter((entry) => topicMatches(entry.mapping.filter, topic));
      if (this.byTopic.size >= TOPIC_CACHE_LIMIT) this.byTopic.clear();
      this.byTopic.set(topic, tags);
    }
    return tags;
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.counted.messages++;
    if (this.sparkplug && topic.startsWith(SPARKPLUG_NAMESPACE) && this.onSparkplug(topic, payload)) return;
    const tags = this.tagsFor(topic);
    if (tags.length === 0) {
      this.counted.unmapped++;
      return;
    }
    const limit = (this.settings as MqttConnectionSettings).options.maxPayloadBytes;
    if (payload.length > limit) {
      this.counted.oversized++;
      this.readings?.add(
        tags.map(({ tag }) => ({
          tagId: tag.id,
          ok: false as const,
          quality: Quality.QUALITY_BAD,
          reason: QualityReason.QUALITY_REASON_MALFORMED_RESPONSE,
          errorCode: 0,
          message: `tag '${tag.name}': a payload of ${payload.length} bytes on '${topic}' exceeds config.mqtt.maxPayloadBytes (${limit}); dropped (${this.counted.oversized} so far)`,
        })),
      );
      return;
    }
    const readings = readingsOf(topic, payload, tags);
    if (readings.some((reading) => !reading.ok)) this.counted.malformed++;
    if (readings.some((reading) => reading.ok)) this.counted.mapped++;
    this.readings?.add(readings);
  }

  /** A message of an edge node a tag names; false for any other topic. */
  private onSparkplug(topic: string, payload: Buffer): boolean {
    const limit = (this.settings as MqttConnectionSettings).options.maxPayloadBytes;
    const outcome = this.sparkplug?.onMessage(topic, payload, limit);
    if (!outcome) return false;
    if (outcome.oversized) this.counted.oversized++;
    if (outcome.malformed) this.counted.malformed++;
    if (outcome.readings.some((reading) => reading.ok)) this.counted.mapped++;
    this.readings?.add(outcome.readings);
    if (outcome.problem) this.push?.({ readings: [], answered: true, problem: outcome.problem });
    if (outcome.rebirth) this.requestRebirth(outcome.rebirth);
    return true;
  }

  private requestRebirth(request: { topic: string; payload: Uint8Array }): void {
    void this.client?.publishAsync(request.topic, Buffer.from(request.payload), { qos: 0 }).catch(
      () => undefined, // asked again at the next gap; a lost connection is reported by 'close'
    );
  }

  scan(): Promise<ScanOutcome> {
    return Promise.reject(new Error('the MQTT driver is not polled: its values arrive by subscription'));
  }

  async write(tag: DriverTag, raw: DriverValue): Promise<WriteOutcome> {
    const client = this.client;
    const refuse = (message: string, reason = QualityReason.QUALITY_REASON_CONFIG_ERROR): WriteOutcome => ({
      ok: false,
      message,
      reason,
      errorCode: 0,
    });
    if (!client) return refuse('not connected', QualityReason.QUALITY_REASON_NOT_CONNECTED);
    if (isSparkplugAddress(tag.address)) {
      return refuse(`'${tag.name}' is a Sparkplug metric: writing metrics (NCMD/DCMD) is not supported`);
    }
    let mapping;
    try {
      mapping = parseTopicMapping(tag.address);
    } catch (error) {
      return refuse((error as Error).message);
    }
    if (mapping.valuePath || /[+#]/.test(mapping.filter)) {
      return refuse(
        `'${tag.name}' maps part of a payload or a wildcard topic: only a tag on one whole topic can be written`,
      );
    }
    const payload = raw instanceof Uint8Array ? Buffer.from(raw) : String(raw);
    try {
      await client.publishAsync(mapping.filter, payload, {
        qos: (this.settings as MqttConnectionSettings).options.qos,
      });
      return { ok: true };
    } catch (error) {
      return refuse(classifyMqttError(error, this.settings?.url ?? '').message, QualityReason.QUALITY_REASON_TIMEOUT);
    }
  }

  private async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    await this.close();
    this.readings?.clear();
  }
}
