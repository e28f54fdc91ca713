// A historian on a real WAL and bus for tests, with a fixed tag catalog and helpers to publish
// samples of those tags.
import { FrameBus } from '../main/bus/frame-bus.ts';
import type { HistorianBackend } from '../main/historian/historian-backend.ts';
import { Historian } from '../main/historian/historian.ts';
import { TagCatalog, type TagLabels } from '../main/historian/tag-catalog.ts';
import type { FrameWal } from '../main/wal/frame-wal.ts';
import { Quality, QualityReason } from '../proto/generated/frame.ts';

export const TEST_TAGS: TagLabels[] = [
  {
    tagId: '770e8400-e29b-41d4-a716-446655440001',
    deviceId: '550e8400-e29b-41d4-a716-446655440000',
    deviceName: 'PLC-001',
    tagName: 'temperature_1',
    protocol: 'ModbusTcp',
    location: 'Workshop A',
    unit: '°C',
  },
  {
    tagId: '770e8400-e29b-41d4-a716-446655440002',
    deviceId: '550e8400-e29b-41d4-a716-446655440000',
    deviceName: 'PLC-001',
    tagName: 'pressure, inlet',
    protocol: 'ModbusTcp',
    location: '',
    unit: 'bar',
  },
];

export interface HistorianHarness {
  bus: FrameBus;
  historian: Historian;
  /** publishes one sample of TEST_TAGS[tag] at `timeMs` (+ `extraNs`) */
  publish(tag: number, timeMs: number, value: number, extraNs?: bigint): void;
  stop(): Promise<void>;
}

export async function historianHarness(
  wal: FrameWal,
  backend: HistorianBackend,
  options: { retryMaxMs?: number; batchSize?: number } = {},
): Promise<HistorianHarness> {
  const bus = new FrameBus({ wal });
  const historian = await Historian.start({
    backend,
    catalog: new TagCatalog(async () => TEST_TAGS),
    wal,
    bus,
    retryMaxMs: options.retryMaxMs ?? 200,
    batchSize: options.batchSize,
    log: () => undefined,
  });
  return {
    bus,
    historian,
    publish(tag, timeMs, value, extraNs = 0n) {
      const labels = TEST_TAGS[tag]!;
      bus.publish({
        type: 'data',
        payload: {
          tagId: labels.tagId,
          deviceId: labels.deviceId,
          value: { kind: { $case: 'doubleValue', value } },
          rawValue: value * 10,
          sourceTimestamp: BigInt(timeMs) * 1_000_000n + extraNs,
          quality: Quality.QUALITY_GOOD,
          qualityReason: QualityReason.QUALITY_REASON_NONE,
          errorCode: 0,
        },
      });
    },
    async stop() {
      await historian.stop();
      await bus.close();
    },
  };
}
