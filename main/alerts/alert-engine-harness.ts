// Test harness for the alert engine: a real frame bus over a real RocksDB WAL, a real database
// (PGlite or PostgreSQL), a clock the test moves, and the alert_events points the historian
// derives from the engine's EventFrames.
import { openTestWal, tempDir } from '../../test/frame-fixtures.ts';
import { Quality, QualityReason, type AlertLifecycle } from '../../proto/generated/frame.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { AlertRule, NewAlertRule } from '../db/repositories/alert-rules-repository.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { FrameWal } from '../wal/frame-wal.ts';
import { AlertEngine, type AlertEngineOptions } from './alert-engine.ts';
import { alertEventPoint } from '../historian/frame-points.ts';
import type { AlertEventPoint } from '../historian/historian-points.ts';

/** The rule the alert tests start from: the tag's value above 80 raises a WARNING at once. */
export const HOT_RULE = {
  conditionExpression: 'value',
  op: 'GT',
  thresholdValue: 80,
  level: 'WARNING',
  evalInterval: 1_000,
  evalDuration: null,
  cooldownDuration: 0,
} as const satisfies Partial<NewAlertRule>;

export const START = new Date('2026-03-01T08:00:00Z');

export interface EngineHarness {
  repos: Repositories;
  bus: FrameBus;
  wal: FrameWal;
  engine: AlertEngine;
  /** alert_events points, as the historian makes them from the alert EventFrames, in order */
  points: AlertEventPoint[];
  /** alert EventFrames seen on the bus, in order */
  events: AlertLifecycle[];
  deviceId: string;
  tagIds: Record<string, string>;
  now(): Date;
  advance(ms: number): void;
  /** publishes a value of a tag on the bus and waits until the engine has seen it */
  send(tag: string, value: number, quality?: Quality): Promise<void>;
  /** runs the engine's timer once and waits until its frames reached the subscribers */
  tick(): Promise<void>;
  rule(fields: Partial<NewAlertRule> & Pick<NewAlertRule, 'name'>): Promise<AlertRule>;
  /** builds another engine over the same bus and database (a restart) */
  restart(): Promise<AlertEngine>;
  close(): Promise<void>;
}

export async function engineHarness(
  database: DatabaseHandle,
  tags: string[] = ['T1', 'T2'],
  options: Partial<AlertEngineOptions> = {},
): Promise<EngineHarness> {
  const folder = await tempDir('gw-alerts-');
  const wal: FrameWal = await openTestWal(folder.dir);
  const bus = new FrameBus({ wal });
  const repos = repositories(database.db);
  const device = await repos.devices.create({ name: 'PLC-001', protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
  const tagIds: Record<string, string> = {};
  for (const [i, name] of tags.entries()) {
    const tag = await repos.tags.create({ deviceId: device.id, name, address: `4000${i + 1}`, dataType: 'Float' });
    tagIds[name] = tag.id;
  }
  let now = START.getTime();
  const clock = { now: () => new Date(now) };
  const points: AlertEventPoint[] = [];
  const events: AlertLifecycle[] = [];
  const listener = bus.subscribe({ name: 'test-events', types: ['event'] }, (frame) => {
    if (frame.type !== 'event' || frame.payload.detail?.$case !== 'alert') return;
    events.push(frame.payload.detail.value);
    points.push(alertEventPoint(frame)!);
  });
  const build = (): AlertEngine => new AlertEngine({ db: database.db, bus, wal, clock, tickMs: 3_600_000, ...options });
  const harness: EngineHarness = {
    repos,
    bus,
    wal,
    engine: build(),
    points,
    events,
    deviceId: device.id,
    tagIds,
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    async send(tag, value, quality = Quality.QUALITY_GOOD) {
      const tagId = tagIds[tag];
      if (!tagId) throw new Error(`no tag ${tag}`);
      bus.publish({
        type: 'data',
        payload: {
          tagId,
          deviceId: device.id,
          value: { kind: { $case: 'doubleValue', value } },
          rawValue: value,
          sourceTimestamp: BigInt(now) * 1_000_000n,
          quality,
          qualityReason:
            quality === Quality.QUALITY_BAD ? QualityReason.QUALITY_REASON_TIMEOUT : QualityReason.QUALITY_REASON_NONE,
          errorCode: 0,
        },
      });
      // Live subscribers are served from a microtask queue: one macrotask later they have it.
      await new Promise((resolve) => setImmediate(resolve));
    },
    async tick() {
      harness.engine.tick();
      await new Promise((resolve) => setImmediate(resolve));
    },
    async rule(fields) {
      const rule = await repos.alertRules.create({
        deviceId: device.id,
        tagId: tagIds.T1,
        ...HOT_RULE,
        ...fields,
      });
      await harness.engine.reload();
      return rule;
    },
    async restart() {
      await harness.engine.stop();
      harness.engine = build();
      await harness.engine.start();
      return harness.engine;
    },
    async close() {
      await harness.engine.stop();
      listener.unsubscribe();
      await bus.close();
      await wal.close();
      await folder.remove();
    },
  };
  await harness.engine.start();
  return harness;
}
