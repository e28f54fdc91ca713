// The trends API over a real embedded historian: every role may read trends, export raw CSV as a
// stream and see the backlog; bad ranges are refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { until } from '../../test/wait.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import { parseGatewayConfig } from '../config/gateway-config.ts';
import type { Historian } from '../historian/historian.ts';
import { startHistorian } from '../historian/start-historian.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import { Quality, QualityReason } from '../../proto/generated/frame.ts';

const backend = databaseBackends()[0]!;
let h: ApiHarness;
let folder: Awaited<ReturnType<typeof tempDir>>;
let wal: FrameWal;
let bus: FrameBus;
let historian: Historian;
let tagId: string;
const T0 = Date.now() - 120_000;

beforeAll(async () => {
  h = await apiHarness(await backend.open());
  folder = await tempDir('gw-trends-');
  wal = await openTestWal(`${folder.dir}/wal`);
  bus = new FrameBus({ wal });
  historian = await startHistorian({
    config: parseGatewayConfig({ dataDir: folder.dir }).historian,
    seriesFolder: `${folder.dir}/series`,
    repos: h.services.repos,
    wal,
    bus,
  });
  h.services.historian = historian;
  const device = await h.services.repos.devices.create({
    name: 'Boiler, "north"',
    protocol: 'ModbusTcp',
    endpoint: '127.0.0.1:502',
  });
  const tag = await h.services.repos.tags.create({
    deviceId: device.id,
    name: 'flow_temperature',
    address: '40001',
    dataType: 'Float',
    unit: '°C',
  });
  tagId = tag.id;
  for (let i = 0; i < 120; i++) {
    bus.publish({
      type: 'data',
      payload: {
        tagId,
        deviceId: device.id,
        value: { kind: { $case: 'doubleValue', value: i } },
        rawValue: i * 10,
        sourceTimestamp: BigInt(T0 + i * 1000) * 1_000_000n + 7n,
        quality: i === 5 ? Quality.QUALITY_BAD : Quality.QUALITY_GOOD,
        qualityReason: QualityReason.QUALITY_REASON_NONE,
        errorCode: i === 5 ? 2 : 0,
      },
    });
  }
  await until(() => historian.status().pointsWritten === 120);
});
afterAll(async () => {
  await historian?.stop();
  await bus?.close();
  await wal?.close();
  await h?.close();
  await folder?.remove();
});

describe('the trends API', () => {
  it('gives a VIEWER a downsampled trend: at most one bucket per pixel', async () => {
    const { api } = await h.signedInAs('VIEWER');
    const trend = await api.trends.query({
      tagIds: [tagId],
      from: new Date(T0),
      to: new Date(T0 + 120_000),
      widthPx: 12,
    });
    expect(trend).toMatchObject({ bucketMs: 10_000, source: 'embedded' });
    const [line] = trend.series;
    expect(line).toMatchObject({
      seriesId: tagId,
      tagName: 'flow_temperature',
      deviceName: 'Boiler, "north"',
      unit: '°C',
    });
    expect(line!.t.length).toBeLessThanOrEqual(13);
    expect(Math.min(...line!.min)).toBe(0);
    expect(Math.max(...line!.max)).toBe(119);
  });

  it('streams a raw export as CSV with nanosecond times, and audits it', async () => {
    const { api } = await h.signedInAs('VIEWER');
    const stream = await api.trends.exportCsv({ tagIds: [tagId], from: new Date(T0), to: new Date(T0 + 10_000) });
    let csv = '';
    let last: { rows: number; done: boolean } | undefined;
    for await (const chunk of stream) {
      csv += chunk.csv;
      last = chunk;
    }
    expect(last).toEqual({ csv: '', rows: 10, done: true });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,device,tag,unit,value,raw_value,quality,error_code');
    expect(lines[1]).toBe(
      `${new Date(T0).toISOString().slice(0, 19)}.${String((T0 % 1000) * 1_000_000 + 7).padStart(9, '0')}Z,"Boiler, ""north""",flow_temperature,°C,0,0,GOOD,0`,
    );
    expect(lines[6]).toMatch(/,5,50,BAD,2$/);
    const audit = await h.services.repos.auditLogs.query({ actionPrefix: 'trends.exportCsv' });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('shows where history goes and its backlog', async () => {
    const { api } = await h.signedInAs('OPERATOR');
    const status = await api.trends.status();
    expect(status).toMatchObject({ kind: 'embedded', failing: false, rejected: 0 });
    expect(status.backlog).toMatchObject({ frames: 0, bytes: 0, estimatedDrainSeconds: 0 });
  });

  it('refuses a bad range naming the field, and a backfill the embedded store does not need', async () => {
    const { api } = await h.signedInAs('ADMIN');
    const backwards = await refusalOf(
      api.trends.query({ tagIds: [tagId], from: new Date(T0), to: new Date(T0 - 1), widthPx: 100 }),
    );
    expect(backwards).toMatchObject({ code: 'BAD_REQUEST', field: 'to' });
    const noTags = await refusalOf(
      api.trends.query({ tagIds: [], from: new Date(T0), to: new Date(T0 + 1), widthPx: 100 }),
    );
    expect(noTags).toMatchObject({ code: 'BAD_REQUEST', field: 'tagIds' });
    const backfill = await refusalOf(api.trends.backfill({ from: new Date(T0), to: new Date(T0 + 1000) }));
    expect(backfill).toMatchObject({ code: 'BAD_REQUEST', reason: 'NOTHING_TO_BACKFILL' });
  });
});
