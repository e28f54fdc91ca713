// The northbound publisher's settings (gateway configuration `mqttNorthbound`), apart from the
// publisher so the configuration module does not load mqtt.js.
import { z } from 'zod';
import { mqttConnectionSchema } from './mqtt-connection-settings.ts';

export const mqttNorthboundSchema = z.object({
  /** mqtt://host:port or mqtts://host:port */
  url: z.string().min(1),
  connection: mqttConnectionSchema.prefault({}),
  /** 'tag': one message per value on <topicPrefix>/<device>/<tag>; 'batch': one JSON array per batch */
  mode: z.enum(['tag', 'batch']).default('tag'),
  topicPrefix: z
    .string()
    .min(1)
    .max(200)
    .refine((t) => !/[+#]/.test(t), 'must not contain + or #')
    .default('gateway'),
  /** per-tag messages are retained: a new subscriber gets every tag's last value at once */
  retain: z.boolean().default(true),
  /** values per WAL batch (and per batched message) */
  batchSize: z.int().min(1).max(100_000).default(1000),
  /** how long a batch may wait for the broker's acknowledgements before it is offered again */
  publishTimeoutMs: z.int().min(100).max(600_000).default(10_000),
  /** the client's own reconnect period while the broker is down */
  reconnectMs: z.int().min(50).max(600_000).default(2000),
});

export type MqttNorthboundConfig = z.output<typeof mqttNorthboundSchema>;
export type MqttNorthboundInput = z.input<typeof mqttNorthboundSchema>;
