// The historian against a real InfluxDB 1.6.7 (Debian's influxd, started here on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historianHarness, TEST_TAGS } from '../../test/historian-harness.ts';
import { startInfluxDb, type InfluxDbServer } from '../../test/services/influxdb-server.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { sleep, until } from '../../test/wait.ts';
import { InfluxV1Backend } from './influx-v1-backend.ts';
import { type InfluxV1Client } from './influx-v1-client.ts';
import { RETENTION_POLICIES } from './influx-v1-schema.ts';

const HOUR = 3_600_000;
let server: InfluxDbServer | undefined;
const folder = useWalFolder('gw-hist-wal-');
let databaseCount = 0;

function backend(options: { lateAggregationDelayMs?: number } = {}) {
  return new InfluxV1Backend({
    url: server!.url,
    database: `gateway_timeseries_${++databaseCount}`,
    lateAggregationDelayMs: options.lateAggregationDelayMs ?? 0,
    log: () => undefined,
  });
}

async function values(client: InfluxV1Client, statement: string): Promise<unknown[][]> {
  const [result] = await client.query(statement);
  return result?.series?.[0]?.values ?? [];
}

beforeAll(async () => {
  server = await startInfluxDb();
});
afterAll(() => server?.stop());

describe('the historian on InfluxDB 1.x', () => {
  it('creates the database, retention policies and continuous queries once, and stores samples with nanosecond times', async ({
    skip,
  }) => {
    if (!server) return skip('influxd is not installed');
    const influx = backend();
    await influx.prepare();
    await influx.prepare(); // idempotent: nothing changes, nothing fails
    const { client } = influx;
    const policies = await values(client, `SHOW RETENTION POLICIES ON "${client.database}"`);
    for (const policy of RETENTION_POLICIES) {
      expect(policies).toContainEqual([policy.name, policy.shown, expect.any(String), 1, policy.isDefault]);
    }
    const [cqs] = await client.query('SHOW CONTINUOUS QUERIES');
    const ours = cqs?.series?.find((s) => s.name === client.database)?.values?.map((row) => row[0]);
    expect(ours).toEqual([
      'cq_minute_device_data',
      'cq_hourly_device_data',
      'cq_hourly_system_metrics',
      'cq_daily_device_data',
    ]);

    const h = await historianHarness(await folder.open(), influx);
    const t = Date.now() - 1000;
    h.publish(0, t, 25.6, 123n);
    h.publish(1, t, 1.25, 456n);
    await until(() => h.historian.status().pointsWritten === 2);
    const rows = await values(
      client,
      'SELECT "value", "raw_value", "quality", "error_code", "device_name", "tag_name", "unit", "location" FROM "device_data" ORDER BY time',
    );
    const at = new Date(t).toISOString().slice(0, 23);
    expect(rows).toContainEqual([`${at}000123Z`, 25.6, 256, 0, 0, 'PLC-001', 'temperature_1', '°C', 'Workshop A']);
    expect(rows).toContainEqual([`${at}000456Z`, 1.25, 12.5, 0, 0, 'PLC-001', 'pressure, inlet', 'bar', null]);
    const raw = [];
    for await (const chunk of influx.readRaw(TEST_TAGS[0]!, t - 1, t + 1)) raw.push(...chunk);
    expect(raw.map((p) => p.timeNs)).toEqual([BigInt(t) * 1_000_000n + 123n]);
    await h.stop();
  });

  it('aggregates late data into device_data_hourly and daily, and trends read the aggregates for long ranges', async ({
    skip,
  }) => {
    if (!server) return skip('influxd is not installed');
    const influx = backend({ lateAggregationDelayMs: 50 });
    const h = await historianHarness(await folder.open(), influx);
    const start = Math.floor(Date.now() / (2 * HOUR)) * 2 * HOUR - 48 * HOUR;
    // two samples per hour for two days, all of them late for their hour's continuous query
    for (let i = 0; i < 96; i++) h.publish(0, start + i * (HOUR / 2), i);
    await until(() => h.historian.status().pointsWritten === 96);
    await influx.aggregateLate();
    const hourly = await values(
      influx.client,
      'SELECT "mean_value", "min_value", "max_value", "sample_count" FROM "hourly_data"."device_data_hourly" ORDER BY time',
    );
    expect(hourly).toHaveLength(48);
    expect(hourly[0]).toEqual([new Date(start).toISOString().replace('.000', ''), 0.5, 0, 1, 2]);
    const minutes = await values(influx.client, 'SELECT count("mean_value") FROM "raw_data"."device_data_1m"');
    expect(minutes[0]![1]).toBe(96);
    const daily = await values(
      influx.client,
      'SELECT "min_value", "max_value", "total_samples" FROM "daily_data"."device_data_daily"',
    );
    expect(daily.reduce((sum, row) => sum + Number(row[3]), 0)).toBe(96);

    // 48 h over 24 px: 2 h buckets from the hourly aggregates; 1 h of 2 samples → min 2k, max 2k+1
    const trend = await h.historian.trends.query({
      tagIds: [TEST_TAGS[0]!.tagId],
      fromMs: start,
      toMs: start + 48 * HOUR,
      widthPx: 24,
    });
    expect(trend.bucketMs).toBe(2 * HOUR);
    expect(trend.source).toMatch(/hourly/);
    expect(trend.series[0]!.min.slice(0, 3)).toEqual([0, 4, 8]);
    expect(trend.series[0]!.max.slice(0, 3)).toEqual([3, 7, 11]);
    await influx.backfill(start, start + 48 * HOUR); // the explicit backfill command is idempotent
    const again = await values(influx.client, 'SELECT count("mean_value") FROM "hourly_data"."device_data_hourly"');
    expect(again[0]![1]).toBe(48);
    await h.stop();
  });

  it('logs and skips a line InfluxDB refuses (400) without holding back the rest of its batch', async ({ skip }) => {
    if (!server) return skip('influxd is not installed');
    const influx = backend();
    const h = await historianHarness(await folder.open(), influx);
    const t = Date.now() - 10_000;
    for (let i = 0; i < 10; i++) h.publish(0, t + i, i);
    h.publish(1, 86_400_000, 1); // a device clock in 1970: beyond the retention policy
    for (let i = 10; i < 20; i++) h.publish(0, t + i, i);
    await until(() => h.historian.status().rejected === 1 && h.historian.status().backlog.frames === 0);
    const status = h.historian.status();
    expect(status.lastRejected?.reason).toMatch(/beyond retention policy/);
    expect(status.failing).toBe(false);
    const count = await values(influx.client, 'SELECT count("value") FROM "device_data"');
    expect(count[0]![1]).toBe(20);
    await h.stop();
  });

  it('loses nothing and duplicates nothing when InfluxDB is stopped for 30 s during a steady ingest', async ({
    skip,
  }) => {
    if (!server) return skip('influxd is not installed');
    const influx = backend();
    const h = await historianHarness(await folder.open(), influx, { retryMaxMs: 1000 });
    const t0 = Date.now() - 60_000;
    let sent = 0;
    const ingest = setInterval(() => {
      for (let i = 0; i < 20; i++, sent++) h.publish(sent % 2, t0 + sent, sent);
    }, 10);
    await sleep(2000);
    await server!.stopServer();
    await sleep(30_000);
    const during = h.historian.status();
    expect(during.failing).toBe(true);
    expect(during.backlog.frames).toBeGreaterThan(1000);
    expect(during.backlog.bytes).toBeGreaterThan(during.backlog.frames * 20);
    expect(during.backlog.ageSeconds).toBeGreaterThan(20);
    await server!.startServer();
    await sleep(2000);
    clearInterval(ingest);
    // The backlog counts committed frames: the last tick's frames must be in the WAL before a
    // zero backlog means everything was forwarded.
    await h.bus.flush();
    await until(() => h.historian.status().backlog.frames === 0, 60_000);
    const rows = await values(influx.client, 'SELECT count("value"), sum("value") FROM "device_data"');
    expect(rows[0]![1]).toBe(sent);
    expect(rows[0]![2]).toBe((sent * (sent - 1)) / 2); // each value once: no duplicate, no gap
    expect(h.historian.status().failing).toBe(false);
    await h.stop();
  }, 120_000);
});
