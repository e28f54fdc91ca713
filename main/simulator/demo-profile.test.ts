// The path `npm run serve` takes on a fresh data folder: the gateway, the demo profile, the
// drivers publishing into a sink (the frame bus once it exists), values that change.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectingFrameSink } from '../../test/collecting-frame-sink.ts';
import { Quality } from '../../proto/generated/frame.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { DEMO_CREATED_BY, startDemoProfile, type DemoProfile } from './demo-profile.ts';

describe('demo profile on a fresh data folder', () => {
  let dataDir: string;
  let gateway: Gateway;
  let demo: DemoProfile | undefined;
  const sink = new CollectingFrameSink();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-demo-'));
    gateway = await createGateway({ dataDir });
    demo = await startDemoProfile(gateway.database.db);
    await gateway.startDrivers(sink);
  });
  afterAll(async () => {
    await gateway.stop();
    await demo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the demo devices and tags, pointing at the simulator on loopback', async () => {
    expect(demo?.created).toBe(true);
    expect(demo?.devices.map((device) => [device.name, device.protocol, device.createdBy])).toEqual([
      ['Demo boiler', 'ModbusTcp', DEMO_CREATED_BY],
      ['Demo pump skid', 'ModbusTcp', DEMO_CREATED_BY],
    ]);
    expect(demo?.devices[0]?.endpoint).toBe(`127.0.0.1:${demo?.simulator.tcpPort}`);
    expect(await gateway.repos.tags.list()).toHaveLength(11);
  });

  it('shows live values that change, with good quality', async () => {
    const tags = await gateway.repos.tags.list();
    const level = tags.find((tag) => tag.name === 'tank_level')!;
    const serial = tags.find((tag) => tag.name === 'serial_number')!;
    await sink.until(() => tags.every((tag) => sink.latest(tag.id)), 'a value for every demo tag', 10_000);
    expect(tags.map((tag) => sink.latest(tag.id)?.quality)).toEqual(tags.map(() => Quality.QUALITY_GOOD));
    expect(sink.latest(serial.id)?.value?.kind).toEqual({ $case: 'stringValue', value: 'PUMP-2024-07' });
    const first = sink.latest(level.id)?.value?.kind?.value;
    await sink.until(() => sink.latest(level.id)?.value?.kind?.value !== first, 'the tank level to move', 5000);
    await expect
      .poll(async () => (await gateway.repos.devices.list()).map((d) => d.status))
      .toEqual(['Online', 'Online']);
  });

  it('takes a write of the setpoint and shows it', async () => {
    const setpoint = (await gateway.repos.tags.list()).find((tag) => tag.name === 'setpoint')!;
    const drivers = await gateway.startDrivers(sink);
    const ack = await drivers.handleCommand({
      commandId: 'demo-1',
      tagId: setpoint.id,
      deviceId: setpoint.deviceId,
      value: { kind: { $case: 'doubleValue', value: 75 } },
      originUser: 'engineer',
      timeoutMs: 2000,
    });
    expect(ack).toMatchObject({ success: true, actualValue: { kind: { $case: 'intValue', value: 75n } } });
  });

  it('on the next start reuses the demo devices and moves them to the new simulator port', async () => {
    const again = await startDemoProfile(gateway.database.db);
    try {
      expect(again?.created).toBe(false);
      expect(again?.devices.map((device) => device.name)).toEqual(['Demo boiler', 'Demo pump skid']);
      expect(again?.devices.every((device) => device.endpoint === `127.0.0.1:${again.simulator.tcpPort}`)).toBe(true);
      expect(await gateway.repos.devices.list()).toHaveLength(2);
    } finally {
      await again?.stop();
    }
  });

  it('plays no demo in a data folder that has its own devices', async () => {
    for (const device of await gateway.repos.devices.list()) {
      await gateway.repos.devices.update(device.id, { createdBy: 'alice' });
    }
    expect(await startDemoProfile(gateway.database.db)).toBeUndefined();
  });
});
