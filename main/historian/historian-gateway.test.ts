// The historian as the gateway wires it: the demo devices' values reach the embedded store
// through the WAL, trends read them back, system metrics arrive, and history survives a restart.
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../test/database-backends.ts';
import { tempDir } from '../../test/frame-fixtures.ts';
import { until } from '../../test/wait.ts';
import { parseGatewayConfig } from '../config/gateway-config.ts';
import { historianConfigFrom } from '../config/historian-config.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';

let folder: Awaited<ReturnType<typeof tempDir>>;
let databaseUrl: string | undefined;
let gateway: Gateway | undefined;

beforeEach(async () => {
  folder = await tempDir('gw-historian-');
  const postgresUrl = inject('postgresUrl');
  databaseUrl = postgresUrl ? await createPostgresDatabase(postgresUrl) : undefined;
});
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  await folder.remove();
});

describe('the gateway historian', () => {
  it('records the demo devices in the embedded store, trends them and keeps them across a restart', async () => {
    gateway = await createGateway({
      dataDir: folder.dir,
      databaseUrl,
      demo: true,
      historian: { systemMetricsSeconds: 1 },
    });
    expect(gateway.historian.status()).toMatchObject({ kind: 'embedded', target: gateway.folders.series });
    const tags = await gateway.repos.tags.list();
    const fast = tags.find((tag) => tag.scanRate === 250)!;
    await until(() => gateway!.historian.status().pointsWritten > 20, 20_000);
    // The fast tag's samples must span more than one 1 s bucket: query until they do (on a
    // loaded machine the first 20 points can all fall within one second).
    let now = Date.now();
    const query = () =>
      gateway!.historian.trends.query({ tagIds: [fast.id], fromMs: now - 60_000, toMs: now + 1000, widthPx: 61 });
    let trend = await query();
    for (const deadline = Date.now() + 20_000; (trend.series[0]?.t.length ?? 0) < 2 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      now = Date.now();
      trend = await query();
    }
    expect(trend.bucketMs).toBe(1000);
    expect(trend.series[0]).toMatchObject({ seriesId: fast.id, tagName: fast.name });
    expect(trend.series[0]!.t.length).toBeGreaterThan(1);
    // system metrics are series of the embedded store too
    await until(
      () =>
        gateway!.historian.backend.kind === 'embedded' &&
        seriesIds(gateway!).some((id) => id.startsWith('system.wal.')),
      10_000,
    );
    await gateway.stop();

    gateway = await createGateway({ dataDir: folder.dir, databaseUrl, historian: { liveTailMinutes: 0 } });
    const again = await gateway.historian.trends.query({
      tagIds: [fast.id],
      fromMs: now - 60_000,
      toMs: now + 1000,
      widthPx: 61,
    });
    expect(again.series[0]!.t.length).toBeGreaterThanOrEqual(trend.series[0]!.t.length - 1);
    await until(() => gateway!.historian.status().backlog.frames === 0);
  });
});

function seriesIds(g: Gateway): string[] {
  const backend = g.historian.backend as unknown as { store: { seriesIds(): string[] } };
  return backend.store.seriesIds();
}

describe('historian configuration', () => {
  it('is embedded unless InfluxDB is configured, and names a bad field', () => {
    expect(parseGatewayConfig({ dataDir: '/x' }).historian).toEqual({
      embedded: { retentionDays: 30, aggregateRetentionDays: 730 },
      liveTailMinutes: 10,
      systemMetricsSeconds: 10,
    });
    expect(() =>
      parseGatewayConfig({ dataDir: '/x', historian: { influxdb: { version: 1, url: 'influx:8086' } } }),
    ).toThrow(/historian\.influxdb\.url/);
    expect(() =>
      parseGatewayConfig({
        dataDir: '/x',
        historian: { influxdb: { version: 2, url: 'http://127.0.0.1:8086', org: 'plant' } },
      }),
    ).toThrow(/historian\.influxdb\.token/);
  });

  it('comes from options and GATEWAY_INFLUXDB_* variables, secrets only from the environment', () => {
    expect(historianConfigFrom({}, {})).toBeUndefined();
    expect(
      historianConfigFrom(
        { database: 'plant' },
        { GATEWAY_INFLUXDB_URL: 'http://127.0.0.1:8086', GATEWAY_INFLUXDB_PASSWORD: 's' },
      ),
    ).toEqual({
      influxdb: { version: 1, url: 'http://127.0.0.1:8086', database: 'plant', username: undefined, password: 's' },
    });
    expect(
      historianConfigFrom(
        { url: 'http://127.0.0.1:8086', org: 'plant' },
        { GATEWAY_INFLUXDB_TOKEN: 't0k', GATEWAY_INFLUXDB_BUCKET: 'line1' },
      ),
    ).toEqual({ influxdb: { version: 2, url: 'http://127.0.0.1:8086', org: 'plant', bucket: 'line1', token: 't0k' } });
    expect(() => historianConfigFrom({ url: 'http://127.0.0.1:8086', version: '3' }, {})).toThrow(
      /version must be 1 or 2/,
    );
  });
});
