// An MQTT broker connection: `devices.endpoint` (mqtt://host:port, mqtts:// for TLS) and
// `devices.config.mqtt`. Validated with zod; every problem names its field. Also the client
// options mqtt.js gets from them, shared by the southbound driver, the northbound publisher and
// the topic sniffer.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { z } from 'zod';
import { DriverError } from '../driver-contract.ts';

export const mqttConnectionSchema = z.strictObject({
  /** 4 = MQTT 3.1.1, 5 = MQTT 5 */
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  username: z.string().min(1).max(255).optional(),
  password: z.string().max(1024).optional(),
  /** default: gateway-<random> */
  clientId: z.string().min(1).max(128).optional(),
  /**
   * false: a persistent session — the broker keeps the subscriptions and queues QoS 1/2 messages
   * while the gateway is away and delivers them when it is back (needs a fixed clientId)
   */
  cleanSession: z.boolean().default(true),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  keepaliveSeconds: z.int().min(0).max(65_535).default(30),
  /** larger payloads are dropped and counted, never parsed */
  maxPayloadBytes: z.int().min(16).max(268_435_455).default(1_048_576),
  /** mqtts:// only: a CA certificate file (PEM) for a broker with a private CA */
  caFile: z.string().min(1).optional(),
  /** mqtts:// only: false accepts any broker certificate (a test bench, never a plant) */
  rejectUnauthorized: z.boolean().default(true),
  /** Sparkplug B (see README, "Sparkplug B"): allowCommands lets the driver publish NCMD Rebirth requests */
  sparkplug: z.strictObject({ allowCommands: z.boolean().default(false) }).default({ allowCommands: false }),
});

const MQTTJS_DEBUG = /mqttjs/.test(process.env.DEBUG ?? '');

export type MqttConnectionOptions = z.output<typeof mqttConnectionSchema>;

export interface MqttConnectionSettings {
  url: string;
  tls: boolean;
  options: MqttConnectionOptions;
}

function fieldError(field: string, message: string): DriverError {
  return new DriverError('config', `${field}: ${message}`, field);
}

export function parseMqttUrl(endpoint: string): { url: string; tls: boolean } {
  const match = /^(mqtts?):\/\/(\[[^\]]+\]|[^:/\s]+)(?::(\d+))?\/?$/i.exec(endpoint.trim());
  if (!match) throw fieldError('endpoint', `"${endpoint}" is not a broker address (e.g. mqtt://192.168.1.30:1883)`);
  const tls = (match[1] as string).toLowerCase() === 'mqtts';
  const port = match[3] === undefined ? (tls ? 8883 : 1883) : Number(match[3]);
  if (port < 1 || port > 65535) throw fieldError('endpoint', `port ${match[3]} is not 1…65535`);
  return { url: `${tls ? 'mqtts' : 'mqtt'}://${match[2]}:${port}`, tls };
}

export function parseWithFields<S extends z.ZodType>(schema: S, raw: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [prefix, ...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  throw fieldError(field, issue.code === 'unrecognized_keys' ? 'is not a setting here' : issue.message);
}

export function parseMqttConnection(endpoint: string, raw: unknown, prefix: string): MqttConnectionSettings {
  const { url, tls } = parseMqttUrl(endpoint);
  const options = parseWithFields(mqttConnectionSchema, raw, prefix);
  if (options.password !== undefined && options.username === undefined) {
    throw fieldError(`${prefix}.username`, 'a password needs a username');
  }
  if (!options.cleanSession && options.clientId === undefined) {
    throw fieldError(
      `${prefix}.clientId`,
      'a persistent session (cleanSession false) needs a fixed clientId: the broker finds the session by it',
    );
  }
  return { url, tls, options };
}

/** mqtt.js options: no automatic reconnect (the owner retries with its own backoff). */
export function mqttClientOptions(settings: MqttConnectionSettings, connectTimeoutMs: number): IClientOptions {
  const { options } = settings;
  return {
    protocolVersion: options.protocolVersion,
    clientId: options.clientId ?? `gateway-${Math.random().toString(16).slice(2, 10)}`,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    keepalive: options.keepaliveSeconds,
    // mqtt.js logs every packet through `debug` (~1 µs a message even when it prints nothing);
    // DEBUG=mqttjs* still turns its log on.
    ...(MQTTJS_DEBUG ? {} : { log: () => undefined }),
    reconnectPeriod: 0,
    connectTimeout: connectTimeoutMs,
    clean: options.cleanSession,
    // MQTT 5 ends a session with its connection unless it is given an expiry: "never", as in 3.1.1.
    ...(!options.cleanSession && options.protocolVersion === 5
      ? { properties: { sessionExpiryInterval: 0xffffffff } }
      : {}),
    ...(settings.tls
      ? {
          rejectUnauthorized: options.rejectUnauthorized,
          ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
        }
      : {}),
  };
}

/** mqtt.js errors → a sentence and whether the user must change a setting. */
export function classifyMqttError(error: unknown, url: string): DriverError {
  if (error instanceof DriverError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (
    /Not authorized|Bad user name or password|code 4|code 5|reasonCode.*13[45]/i.test(message) ||
    code === 5 ||
    code === 4 ||
    code === 134 ||
    code === 135
  ) {
    return new DriverError(
      'config',
      `${url} refused the username or password (config.mqtt.username / password)`,
      'config.mqtt.username',
      { cause: error },
    );
  }
  if (/ECONNREFUSED/.test(message)) {
    return new DriverError(
      'unreachable',
      `nothing accepts connections at ${url}: is the broker running and the port right?`,
      undefined,
      { cause: error },
    );
  }
  if (/certificate|self[- ]signed|CERT_|UNABLE_TO_VERIFY/i.test(message)) {
    return new DriverError(
      'access',
      `the TLS certificate of ${url} is not trusted (${message}): set config.mqtt.caFile to the broker's CA`,
      'config.mqtt.caFile',
      { cause: error },
    );
  }
  return new DriverError('unreachable', `${url}: ${message}`, undefined, { cause: error });
}
