// The path `npm run serve` takes on a fresh data folder: the gateway with the demo profile, the
// drivers publishing into the frame bus, values that change, a write through the bus.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quality, type CommandAckFrame, type DataFrame } from '../../proto/generated/frame.ts';
import type { Subscription } from '../bus/subscription.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { DEMO_CREATED_BY, startDemoProfile } from './demo-profile.ts';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('demo profile on a fresh data folder', () => {
  let dataDir: string;
  let gateway: Gateway;
  let subscription: Subscription;
  const latest = new Map<string, DataFrame>();
  const acks: CommandAckFrame[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-demo-'));
    gateway = await createGateway({ dataDir, demo: true });
    subscription = gateway.bus.subscribe({ name: 'demo-test', types: ['data', 'commandAck'] }, (frame) => {
      if (frame.type === 'data') latest.set(frame.payload.tagId, frame.payload);
      if (frame.type === 'commandAck') acks.push(frame.payload);
    });
  });
  afterAll(async () => {
    subscription.unsubscribe();
    await gateway.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the demo devices and tags, pointing at the simulator on loopback', async () => {
    const demo = gateway.demo;
    expect(demo?.created).toBe(true);
    expect(demo?.devices.map((device) => [device.name, device.protocol, device.createdBy])).toEqual([
      ['Demo boiler', 'ModbusTcp', DEMO_CREATED_BY],
      ['Demo pump skid', 'ModbusTcp', DEMO_CREATED_BY],
    ]);
    expect(demo?.devices[0]?.endpoint).toBe(`127.0.0.1:${demo?.simulator.tcpPort}`);
    expect(await gateway.repos.tags.list()).toHaveLength(11);
  });

  it('shows live values on the bus that change, with good quality', async () => {
    const tags = await gateway.repos.tags.list();
    const level = tags.find((tag) => tag.name === 'tank_level')!;
    const serial = tags.find((tag) => tag.name === 'serial_number')!;
    await until(() => tags.every((tag) => latest.has(tag.id)), 'a value for every demo tag');
    expect(tags.map((tag) => latest.get(tag.id)?.quality)).toEqual(tags.map(() => Quality.QUALITY_GOOD));
    expect(latest.get(serial.id)?.value?.kind).toEqual({ $case: 'stringValue', value: 'PUMP-2024-07' });
    const first = latest.get(level.id)?.value?.kind?.value;
    await until(() => latest.get(level.id)?.value?.kind?.value !== first, 'the tank level to move', 5000);
    await expect
      .poll(async () => (await gateway.repos.devices.list()).map((d) => d.status))
      .toEqual(['Online', 'Online']);
  });

  it('takes a write of the setpoint published on the bus, and acknowledges it there', async () => {
    const setpoint = (await gateway.repos.tags.list()).find((tag) => tag.name === 'setpoint')!;
    gateway.bus.publish({
      type: 'command',
      payload: {
        commandId: 'demo-1',
        tagId: setpoint.id,
        deviceId: setpoint.deviceId,
        value: { kind: { $case: 'doubleValue', value: 75 } },
        originUser: 'engineer',
        timeoutMs: 2000,
      },
    });
    await until(() => acks.some((ack) => ack.commandId === 'demo-1'), 'the acknowledgement', 5000);
    expect(acks.find((ack) => ack.commandId === 'demo-1')).toMatchObject({
      success: true,
      actualValue: { kind: { $case: 'intValue', value: 75n } },
    });
    await until(() => latest.get(setpoint.id)?.value?.kind?.value === 75n, 'the new setpoint to be polled', 5000);
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
