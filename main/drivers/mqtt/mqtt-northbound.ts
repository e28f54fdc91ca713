// MQTT northbound: the gateway's values published to a broker, as a durable consumer of the WAL
// (like the historian). The checkpoint moves only after the broker acknowledged a batch (QoS 1/2)
// or took it (QoS 0), so while the broker is down nothing is lost: the values wait in the WAL
// and are published, in order, when it is back. Per tag (retained last value, one topic per
// tag) or batched (one JSON array per WAL batch).
import mqtt, { type MqttClient } from 'mqtt';
import type { Frame } from '../../frames/frame.ts';
import { Quality, type DataFrame, type Value } from '../../../proto/generated/frame.ts';
import type { DurableConsumer } from '../../wal/durable-consumer.ts';
import type { FrameWal } from '../../wal/frame-wal.ts';
import type { Repositories } from '../../db/repositories/repositories.ts';
import type { MqttNorthboundConfig } from './mqtt-northbound-config.ts';
import {
  classifyMqttError,
  mqttClientOptions,
  mqttConnectionSchema,
  parseMqttUrl,
  parseWithFields,
  type MqttConnectionSettings,
} from './mqtt-connection-settings.ts';

/** Names for topics: the device's and tag's names (ids when unknown). */
export type TopicNames = (frame: DataFrame) => Promise<{ device: string; tag: string }>;

/** A topic level must not hold '/', '+', '#' or NUL. */
export function topicLevel(name: string): string {
  return name.replace(/[/+#]/g, '_').split(String.fromCharCode(0)).join('_') || '_';
}

function jsonValue(value: Value | undefined): unknown {
  const kind = value?.kind;
  if (!kind) return null;
  if (kind.$case === 'bytesValue') return Buffer.from(kind.value).toString('base64');
  if (typeof kind.value === 'bigint') {
    return kind.value <= BigInt(Number.MAX_SAFE_INTEGER) && kind.value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(kind.value)
      : kind.value.toString();
  }
  return kind.value;
}

const QUALITY_NAMES: Record<number, string> = {
  [Quality.QUALITY_GOOD]: 'GOOD',
  [Quality.QUALITY_UNCERTAIN]: 'UNCERTAIN',
  [Quality.QUALITY_BAD]: 'BAD',
};

export function valueMessage(frame: DataFrame): Record<string, unknown> {
  return {
    value: jsonValue(frame.value),
    quality: QUALITY_NAMES[frame.quality] ?? 'BAD',
    ts: Number(frame.sourceTimestamp / 1_000_000n),
  };
}

/** Topic names from the repositories, cached (a renamed tag keeps its old topic until restart). */
export function repositoryTopicNames(repos: Pick<Repositories, 'devices' | 'tags'>): TopicNames {
  const devices = new Map<string, Promise<string>>();
  const tags = new Map<string, Promise<string>>();
  const lookup = (cache: Map<string, Promise<string>>, id: string, load: () => Promise<string | undefined>) => {
    let name = cache.get(id);
    if (!name) {
      name = load().then(
        (found) => found ?? id,
        () => id,
      );
      cache.set(id, name);
    }
    return name;
  };
  return async (frame) => ({
    device: await lookup(devices, frame.deviceId, async () => (await repos.devices.get(frame.deviceId))?.name),
    tag: await lookup(tags, frame.tagId, async () => (await repos.tags.get(frame.tagId))?.name),
  });
}

export class MqttNorthbound {
  private client: MqttClient | undefined;
  private consumer: DurableConsumer | undefined;
  private published = 0;
  private readonly settings: MqttConnectionSettings;

  constructor(
    private readonly config: MqttNorthboundConfig,
    private readonly names: TopicNames,
  ) {
    this.settings = {
      ...parseMqttUrl(config.url),
      options: parseWithFields(mqttConnectionSchema, config.connection, 'mqttNorthbound.connection'),
    };
  }

  /** Connects (retrying in the background) and starts consuming the WAL as `name`. */
  async start(wal: FrameWal, name = 'mqtt-northbound'): Promise<void> {
    this.client = mqtt.connect(this.settings.url, {
      ...mqttClientOptions(this.settings, this.config.publishTimeoutMs),
      reconnectPeriod: this.config.reconnectMs,
    });
    this.client.on('error', () => undefined); // reported through the consumer's lastError
    this.consumer = await wal.consume(name, (frames) => this.publish(frames), {
      types: ['data'],
      batchSize: this.config.batchSize,
      retryMinMs: 100,
      retryMaxMs: Math.max(1000, this.config.reconnectMs),
    });
  }

  /** Values the broker confirmed so far (this run). */
  get publishedValues(): number {
    return this.published;
  }

  metrics() {
    return this.consumer?.metrics();
  }

  private async publish(frames: Frame[]): Promise<void> {
    const client = this.client;
    if (!client?.connected) {
      throw classifyMqttError(new Error('the broker is not connected'), this.settings.url);
    }
    const { qos } = this.config.connection;
    const data = frames.flatMap((frame) => (frame.type === 'data' ? [frame.payload] : []));
    if (data.length === 0) return;
    const prefix = this.config.topicPrefix;
    const sends: Array<Promise<unknown>> = [];
    if (this.config.mode === 'batch') {
      const values = await Promise.all(
        data.map(async (frame) => {
          const names = await this.names(frame);
          return { device: names.device, tag: names.tag, ...valueMessage(frame) };
        }),
      );
      sends.push(client.publishAsync(`${prefix}/batch`, JSON.stringify(values), { qos }));
    } else {
      for (const frame of data) {
        const names = await this.names(frame);
        sends.push(
          client.publishAsync(
            `${prefix}/${topicLevel(names.device)}/${topicLevel(names.tag)}`,
            JSON.stringify(valueMessage(frame)),
            { qos, retain: this.config.retain },
          ),
        );
      }
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sends),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the broker did not confirm ${sends.length} message(s) in time`)),
          this.config.publishTimeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    this.published += data.length;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.client?.endAsync(true).catch(() => undefined);
  }
}
