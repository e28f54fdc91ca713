// The InfluxDB 2.x backend against a local stand-in server that checks the request format (no
// 2.x server can run here, see the README): buckets and tasks at connect, gzip'd line protocol
// with nanosecond times, retries without loss, 400 halving, Flux trends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historianHarness, TEST_TAGS } from '../../test/historian-harness.ts';
import { FAKE_ORG, FAKE_TOKEN, type InfluxV2Fake, startInfluxV2Fake } from '../../test/influx-v2-fake.ts';
import { useWalFolder } from '../../test/wal-folder.ts';
import { until } from '../../test/wait.ts';
import { InfluxV2Backend } from './influx-v2-backend.ts';

let fake: InfluxV2Fake;
const folder = useWalFolder('gw-v2-wal-');

beforeEach(async () => {
  fake = await startInfluxV2Fake();
});
afterEach(() => fake.close());

const backend = () =>
  new InfluxV2Backend(
    { url: fake.url, org: FAKE_ORG.name, bucket: 'gateway_timeseries', token: FAKE_TOKEN, timeoutMs: 5000 },
    { log: () => undefined },
  );

describe('the historian on InfluxDB 2.x (stand-in server)', () => {
  it('creates the three buckets and downsampling tasks once', async () => {
    const influx = backend();
    await influx.prepare();
    expect(fake.buckets.map((b) => [b.name, b.retentionRules[0]!.everySeconds])).toEqual([
      ['gateway_timeseries', 183 * 86_400],
      ['gateway_timeseries_hourly', 730 * 86_400],
      ['gateway_timeseries_daily', 1826 * 86_400],
    ]);
    expect(fake.tasks.map((t) => t.name)).toEqual([
      'cq_hourly_device_data',
      'cq_daily_device_data',
      'cq_hourly_system_metrics',
    ]);
    const hourly = fake.tasks[0]!.flux;
    expect(hourly).toContain('from(bucket: "gateway_timeseries")');
    expect(hourly).toContain('aggregateWindow(every: 1h, fn: fn');
    expect(hourly).toContain('to(bucket: "gateway_timeseries_hourly", org: "plant")');
    const created = fake.requests.filter((r) => r.method === 'POST').length;
    await backend().prepare(); // a second gateway start changes nothing
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(created);
  });

  it('writes gzip line protocol with nanosecond times, and retries a 503 without losing a sample', async () => {
    fake.failNextWrites.push({ status: 503, body: '{"code":"unavailable","message":"starting"}' });
    const h = await historianHarness(await folder.open(), backend(), { retryMaxMs: 50 });
    const t = Date.now();
    for (let i = 0; i < 100; i++) h.publish(i % 2, t + i, i, 7n);
    await until(() => h.historian.status().pointsWritten === 100);
    const writes = fake.requests.filter((r) => r.path === '/api/v2/write');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.at(-1)!.headers['content-encoding']).toBe('gzip');
    expect(writes.at(-1)!.query.get('bucket')).toBe('gateway_timeseries');
    const lines = fake.lines.get('gateway_timeseries')!;
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe(
      `device_data,device_id=${TEST_TAGS[0]!.deviceId},device_name=PLC-001,location=Workshop\\ A,protocol=ModbusTcp,tag_name=temperature_1,unit=°C value=0,raw_value=0,quality=0i,error_code=0i ${BigInt(t) * 1_000_000n + 7n}`,
    );
    expect(lines[1]).toContain('tag_name=pressure\\,\\ inlet,unit=bar value=1,');
    await h.stop();
  });

  it('finds the one line a 400 refuses by halving the batch, and stores the rest', async () => {
    fake.refuseLinesContaining = 'value=13,';
    const h = await historianHarness(await folder.open(), backend());
    const t = Date.now();
    for (let i = 0; i < 40; i++) h.publish(0, t + i, i);
    await until(() => h.historian.status().rejected === 1 && h.historian.status().backlog.frames === 0);
    expect(fake.lines.get('gateway_timeseries')).toHaveLength(39);
    expect(h.historian.status().lastRejected?.what).toContain('value=13,');
    await h.stop();
  });

  it('asks for trends in Flux and reads the annotated CSV answer', async () => {
    const influx = backend();
    const t0 = Date.UTC(2026, 0, 17, 8, 0, 0);
    fake.queryAnswer = [
      '#datatype,string,long,dateTime:RFC3339,string,string,double,double,double',
      '#group,false,false,false,true,true,false,false,false',
      '#default,_result,,,,,,,',
      ',result,table,_time,device_id,tag_name,max,mean,min',
      `,,0,2026-01-17T08:00:00Z,${TEST_TAGS[0]!.deviceId},temperature_1,30,25,20`,
      `,,0,2026-01-17T08:01:00Z,${TEST_TAGS[0]!.deviceId},temperature_1,31,26,21`,
      '',
    ].join('\r\n');
    const answer = await influx.buckets({ tags: [TEST_TAGS[0]!], fromMs: t0, toMs: t0 + 120_000, bucketMs: 60_000 });
    expect(answer.series[0]).toMatchObject({ t: [t0, t0 + 60_000], min: [20, 21], max: [30, 31], mean: [25, 26] });
    const flux = JSON.parse(fake.requests.at(-1)!.body).query as string;
    expect(flux).toContain('range(start: 2026-01-17T08:00:00.000Z, stop: 2026-01-17T08:02:00.000Z)');
    expect(flux).toContain(`r.device_id == "${TEST_TAGS[0]!.deviceId}" and r.tag_name == "temperature_1"`);
    expect(flux).toContain('aggregateWindow(every: 60000ms');
  });
});
