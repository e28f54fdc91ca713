// The seed's InfluxDB design (InfluxDB 时序数据库设计 §3–§4): database gateway_timeseries, the
// retention policies raw_data (6 months, default), hourly_data (2 years), daily_data (5 years)
// and the three continuous queries, created idempotently at connect. InfluxQL has no month or
// year unit, so 6 months, 2 and 5 years are written as 183d, 730d and 1826d.
//
// One addition to the seed: cq_minute_device_data keeps min/max/mean per minute in raw_data
// (device_data_1m), so that a day's trend reads 1,440 rows per tag instead of 86,400 samples
// (measured: ~2 s for 8 tags × 24 h from device_data here, against the 300 ms asked). It
// resamples the last 5 minutes each minute, so samples up to 4 minutes late are still counted.
import { type InfluxV1Client, quoteIdentifier as q } from './influx-v1-client.ts';

export interface RetentionPolicySpec {
  name: string;
  duration: string;
  /** the duration as InfluxDB reports it in SHOW RETENTION POLICIES */
  shown: string;
  isDefault: boolean;
}

export const RETENTION_POLICIES: readonly RetentionPolicySpec[] = [
  { name: 'raw_data', duration: '183d', shown: '4392h0m0s', isDefault: true },
  { name: 'hourly_data', duration: '730d', shown: '17520h0m0s', isDefault: false },
  { name: 'daily_data', duration: '1826d', shown: '43824h0m0s', isDefault: false },
];

/** The SELECT of each continuous query; the CQ, the backfill and the late-data pass share it. */
export interface AggregationQuery {
  name: string;
  select: string;
  /** the length of one output interval */
  interval: 'm' | 'h' | 'd';
}

export function aggregationQueries(database: string): AggregationQuery[] {
  const db = q(database);
  return [
    {
      name: 'cq_minute_device_data',
      interval: 'm',
      select:
        'SELECT min("value") AS "min_value", max("value") AS "max_value", mean("value") AS "mean_value" ' +
        `INTO ${db}."raw_data"."device_data_1m" FROM ${db}."raw_data"."device_data"`,
    },
    {
      name: 'cq_hourly_device_data',
      interval: 'h',
      select:
        'SELECT mean("value") AS "mean_value", min("value") AS "min_value", max("value") AS "max_value", ' +
        'count("value") AS "sample_count", stddev("value") AS "stddev_value" ' +
        `INTO ${db}."hourly_data"."device_data_hourly" FROM ${db}."raw_data"."device_data"`,
    },
    {
      name: 'cq_hourly_system_metrics',
      interval: 'h',
      select:
        'SELECT mean("cpu_usage") AS "avg_cpu_usage", max("cpu_usage") AS "max_cpu_usage", ' +
        'mean("memory_usage") AS "avg_memory_usage", max("memory_usage") AS "max_memory_usage", ' +
        'mean("throughput") AS "avg_throughput", max("throughput") AS "max_throughput", ' +
        'mean("latency_p99") AS "avg_latency_p99", max("latency_p99") AS "max_latency_p99" ' +
        `INTO ${db}."hourly_data"."system_metrics_hourly" FROM ${db}."raw_data"."system_metrics"`,
    },
    {
      name: 'cq_daily_device_data',
      interval: 'd',
      select:
        'SELECT mean("mean_value") AS "mean_value", min("min_value") AS "min_value", ' +
        'max("max_value") AS "max_value", sum("sample_count") AS "total_samples" ' +
        `INTO ${db}."daily_data"."device_data_daily" FROM ${db}."hourly_data"."device_data_hourly"`,
    },
  ];
}

const GROUP_BY: Record<string, string> = {
  cq_minute_device_data: 'GROUP BY time(1m), "device_id", "tag_name"',
  cq_hourly_device_data: 'GROUP BY time(1h), "device_id", "tag_name", "unit"',
  cq_hourly_system_metrics: 'GROUP BY time(1h), "component", "host"',
  cq_daily_device_data: 'GROUP BY time(1d), "device_id", "tag_name", "unit"',
};

const RESAMPLE: Record<string, string> = { cq_minute_device_data: ' RESAMPLE EVERY 1m FOR 5m' };

/** How late (ms after its interval ended) a sample may arrive and still be aggregated by the CQ. */
export const CQ_GRACE_MS: Record<AggregationQuery['interval'], number> = { m: 4 * 60_000, h: 0, d: 0 };

export function continuousQueryStatement(database: string, name: string, select: string): string {
  return `CREATE CONTINUOUS QUERY ${q(name)} ON ${q(database)}${RESAMPLE[name] ?? ''} BEGIN ${select} ${GROUP_BY[name]} END`;
}

/** Creates the database, policies and continuous queries, fixing any that differ. */
export async function prepareInfluxV1(client: InfluxV1Client): Promise<void> {
  const db = client.database;
  await client.query(`CREATE DATABASE ${q(db)}`, { write: true, database: false });
  const [policies] = await client.query(`SHOW RETENTION POLICIES ON ${q(db)}`, { database: false });
  const existing = new Map(
    (policies?.series?.[0]?.values ?? []).map((row) => [
      String(row[0]),
      { duration: String(row[1]), isDefault: row[4] === true },
    ]),
  );
  for (const policy of RETENTION_POLICIES) {
    const found = existing.get(policy.name);
    const spec = `DURATION ${policy.duration} REPLICATION 1${policy.isDefault ? ' DEFAULT' : ''}`;
    if (!found) await client.query(`CREATE RETENTION POLICY ${q(policy.name)} ON ${q(db)} ${spec}`, { write: true });
    else if (found.duration !== policy.shown || (policy.isDefault && !found.isDefault)) {
      await client.query(`ALTER RETENTION POLICY ${q(policy.name)} ON ${q(db)} ${spec}`, { write: true });
    }
  }
  const [queries] = await client.query('SHOW CONTINUOUS QUERIES', { database: false });
  const present = new Map<string, string>();
  for (const series of queries?.series ?? []) {
    if (series.name !== db) continue;
    for (const row of series.values ?? []) present.set(String(row[0]), String(row[1]));
  }
  for (const { name, select } of aggregationQueries(db)) {
    const statement = continuousQueryStatement(db, name, select);
    const shown = present.get(name);
    if (shown !== undefined && normalise(shown) === normalise(statement)) continue;
    if (shown !== undefined) await client.query(`DROP CONTINUOUS QUERY ${q(name)} ON ${q(db)}`, { write: true });
    await client.query(statement, { write: true });
  }
}

/** InfluxDB shows a CQ re-formatted: compare without quotes, spaces and case. */
function normalise(statement: string): string {
  return statement.replace(/["\s]/g, '').toLowerCase();
}

const UNIT_MS: Record<AggregationQuery['interval'], number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Recomputes the aggregates of [fromMs, toMs) (whole minutes, hours, days for each level): a
 * continuous query covers only the interval that just ended, so data that arrived later (an
 * outage drained from the WAL, an import) needs this. Idempotent: the same series and times are
 * overwritten. Runs a week at a time so no single query holds months in memory. `levels`
 * limits it to some intervals (the daily one always follows the hourly one it reads).
 */
export async function backfillInfluxV1(
  client: InfluxV1Client,
  fromMs: number,
  toMs: number,
  levels: ReadonlySet<AggregationQuery['interval']> = new Set(['m', 'h', 'd']),
): Promise<void> {
  const STEP = 7 * UNIT_MS.d;
  for (const { select, name, interval } of aggregationQueries(client.database)) {
    if (!levels.has(interval)) continue;
    const unit = UNIT_MS[interval];
    const start = Math.floor(fromMs / unit) * unit;
    const end = Math.ceil(toMs / unit) * unit;
    for (let from = start; from < end; from += STEP) {
      const to = Math.min(end, from + STEP);
      await client.query(`${select} WHERE time >= ${from}ms AND time < ${to}ms ${GROUP_BY[name]}`, { write: true });
    }
  }
}
