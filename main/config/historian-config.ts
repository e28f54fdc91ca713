// The historian's configuration (README: "Historian"). Without an `influxdb` section history
// goes to the embedded RocksDB series store in the data folder, so trends work offline. Both
// entries also read it from the environment (GATEWAY_INFLUXDB_*); the headless entry takes the
// non-secret parts as options too. Secrets (password, token) only come from the environment or
// a config object, never from a command line other users can read in the process list.
import { z } from 'zod';

const url = z
  .string()
  .regex(/^https?:\/\/[^/\s]+\/?$/, 'historian.influxdb.url must be http(s)://host:port, e.g. http://127.0.0.1:8086');
const name = (field: string) =>
  z
    .string()
    .min(1, `historian.influxdb.${field} must not be empty`)
    .max(255)
    .regex(/^[^\s"'\\]+$/, `historian.influxdb.${field} must not hold spaces, quotes or backslashes`);

const influxV1Schema = z.object({
  version: z.literal(1),
  url,
  database: name('database').default('gateway_timeseries'),
  username: z.string().optional(),
  password: z.string().optional(),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
});

const influxV2Schema = z.object({
  version: z.literal(2),
  url,
  org: name('org'),
  bucket: name('bucket').default('gateway_timeseries'),
  token: z.string().min(1, 'historian.influxdb.token must not be empty (an API token with write access)'),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
});

export const historianConfigSchema = z.object({
  /** The embedded series store (used when no InfluxDB is configured). */
  embedded: z
    .object({
      /** raw samples are kept this long (default 30 days) */
      retentionDays: z
        .number()
        .int()
        .min(1, 'historian.embedded.retentionDays must be at least 1')
        .max(3650)
        .default(30),
      /** 10 s / 1 min / 1 h aggregates are kept this long (default 2 years, the seed's hourly_data) */
      aggregateRetentionDays: z.number().int().min(1).max(3650).default(730),
    })
    .prefault({}),
  /** InfluxDB 1.x (database, retention policies, continuous queries) or 2.x (org, buckets, tasks). */
  influxdb: z.discriminatedUnion('version', [influxV1Schema, influxV2Schema]).optional(),
  /** how far back trends show samples not stored yet (default 10 min; 0: off) */
  liveTailMinutes: z.number().min(0).max(120).default(10),
  /** system_metrics every this many seconds (default 10; 0: off) */
  systemMetricsSeconds: z.number().int().min(0).max(3600).default(10),
});

export type HistorianConfig = z.output<typeof historianConfigSchema>;
export type HistorianConfigInput = z.input<typeof historianConfigSchema>;
export type InfluxConfig = NonNullable<HistorianConfig['influxdb']>;

/** The non-secret InfluxDB settings an entry may take as options (headless CLI). */
export interface InfluxOptions {
  url?: string | undefined;
  version?: string | undefined;
  database?: string | undefined;
  org?: string | undefined;
  bucket?: string | undefined;
}

/**
 * The historian section from options and the environment: GATEWAY_INFLUXDB_URL switches to
 * InfluxDB; GATEWAY_INFLUXDB_VERSION (1 or 2; default 2 when a token is given, else 1),
 * _DATABASE, _USERNAME, _PASSWORD (1.x), _ORG, _BUCKET, _TOKEN (2.x). Options win over the
 * environment. Undefined when neither names an InfluxDB (the embedded store is used).
 */
export function historianConfigFrom(options: InfluxOptions, env: NodeJS.ProcessEnv): HistorianConfigInput | undefined {
  const get = (key: string): string | undefined => env[`GATEWAY_INFLUXDB_${key}`] || undefined;
  const influxUrl = options.url ?? get('URL');
  if (!influxUrl) return undefined;
  const token = get('TOKEN');
  const version = options.version ?? get('VERSION') ?? (token ? '2' : '1');
  if (version !== '1' && version !== '2') throw new Error(`The InfluxDB version must be 1 or 2, not "${version}"`);
  if (version === '1') {
    return {
      influxdb: {
        version: 1,
        url: influxUrl,
        database: options.database ?? get('DATABASE'),
        username: get('USERNAME'),
        password: get('PASSWORD'),
      },
    };
  }
  return {
    influxdb: {
      version: 2,
      url: influxUrl,
      org: options.org ?? get('ORG') ?? '',
      bucket: options.bucket ?? get('BUCKET'),
      token: token ?? '',
    },
  };
}
