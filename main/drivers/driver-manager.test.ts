// The driver manager on both database backends, polling the project's simulator over Modbus
// TCP: registry and driver_status lifecycle, devices.status / last_seen through
// update_device_status, engineering values with quality, deadband, scan-rate groups, batching,
// demotion of a device that does not answer, configuration errors, and writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { CollectingFrameSink } from '../../test/collecting-frame-sink.ts';
import { startTestDrivers, type TestDrivers } from '../../test/driver-manager-harness.ts';
import { EventKind, Quality, QualityReason, type DataFrame } from '../../proto/generated/frame.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { Tag } from '../db/repositories/tags-repository.ts';
import { startModbusSimulator, type ModbusSimulator } from '../simulator/modbus-simulator.ts';
import type { DriverManager } from './driver-manager.ts';

function valueOf(frame: DataFrame | undefined): unknown {
  return frame?.value?.kind?.value;
}

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`driver manager on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let repos: Repositories;
    let simulator: ModbusSimulator;
    let manager: DriverManager;
    let drivers: TestDrivers;
    const sink = new CollectingFrameSink();
    const tags: Record<string, Tag> = {};
    const devices: Record<string, Device> = {};

    beforeAll(async () => {
      handle = await backend.open();
      repos = repositories(handle.db);
      simulator = await startModbusSimulator({
        tcp: { port: 0 },
        slaves: [
          {
            unitId: 1,
            points: [
              {
                address: '40001:CDAB',
                dataType: 'Float',
                waveform: { kind: 'sine', amplitude: 5, offset: 60, periodMs: 2000 },
              },
              { address: '40003', dataType: 'Int16', waveform: { kind: 'fixed', value: 12345 } },
              { address: '40004', dataType: 'UInt16', waveform: { kind: 'fixed', value: 500 } },
              { address: '40005', dataType: 'Int16', waveform: { kind: 'fixed', value: 20 } },
              { address: '40006', dataType: 'UInt16', waveform: { kind: 'ramp', min: 0, max: 1000, periodMs: 1000 } },
              { address: '00001', dataType: 'Boolean', waveform: { kind: 'fixed', value: true } },
            ],
          },
        ],
      });
      const endpoint = `127.0.0.1:${simulator.tcpPort}`;
      await repos.driverConfigs.create({
        name: 'Plant TCP',
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
        scanInterval: 100,
        timeout: 300,
        batchSize: 2,
        maxRetries: 2,
        retryInterval: 100,
        maxRetryInterval: 400,
      });
      devices.boiler = await repos.devices.create({
        name: 'Boiler',
        protocol: 'ModbusTcp',
        endpoint,
        config: { modbus: { unitId: 1 } },
      });
      devices.absent = await repos.devices.create({
        name: 'Absent',
        protocol: 'ModbusTcp',
        endpoint,
        config: { modbus: { unitId: 9 } },
      });
      devices.broken = await repos.devices.create({
        name: 'Broken',
        protocol: 'ModbusTcp',
        endpoint,
        config: { modbus: { unitId: 1, baudRate: 9600 } },
      });
      devices.disabled = await repos.devices.create({
        name: 'Disabled',
        protocol: 'ModbusTcp',
        endpoint,
        enabled: false,
      });
      devices.maintenance = await repos.devices.create({
        name: 'Maintenance',
        protocol: 'ModbusTcp',
        endpoint,
        status: 'Maintenance',
      });
      const boiler = devices.boiler.id;
      const rows = await repos.tags.createMany([
        { deviceId: boiler, name: 'temperature', address: '40001:CDAB', dataType: 'Float', unit: '°C' },
        { deviceId: boiler, name: 'pressure', address: '40003', dataType: 'Int16', scaling: 0.01, maxValue: 100 },
        {
          deviceId: boiler,
          name: 'flow',
          address: '40004',
          dataType: 'UInt16',
          scaling: 0.1,
          tagOffset: -10,
          deadband: 0.5,
          scanRate: 50,
        },
        {
          deviceId: boiler,
          name: 'setpoint',
          address: '40005',
          dataType: 'Int16',
          accessType: 'ReadWrite',
          minValue: 0,
          maxValue: 90,
        },
        { deviceId: boiler, name: 'counter', address: '40006', dataType: 'UInt16', accessType: 'Read' },
        { deviceId: boiler, name: 'running', address: '00001', dataType: 'Boolean', accessType: 'ReadWrite' },
        { deviceId: boiler, name: 'command', address: '40005', dataType: 'Int16', accessType: 'Write' },
        { deviceId: boiler, name: 'typo', address: '4OOO1', dataType: 'Int16' },
        { deviceId: devices.absent.id, name: 'value', address: '40001', dataType: 'Int16' },
      ]);
      for (const row of rows) tags[row.deviceId === boiler ? row.name : `absent.${row.name}`] = row;
      drivers = await startTestDrivers(repos, sink);
      manager = drivers.manager;
    });

    afterAll(async () => {
      await drivers.stop();
      await simulator.stop();
      await handle.close();
    });

    it('records the built-in drivers and their lifecycle in driver_registry', async () => {
      const registry = await repos.driverRegistry.list();
      expect(registry.map((row) => [row.protocol, row.status, row.apiVersion])).toEqual([
        ['ModbusTcp', 'RUNNING', 1],
        ['ModbusRtu', 'LOADED', 1],
      ]);
      expect(registry[0]?.capabilities).toEqual(expect.arrayContaining(['read', 'write', 'fc03', 'fc16', 'tcp']));
      expect(registry[0]?.metadata).toMatchObject({ builtIn: true });
      const driverEvents = sink.events.filter((e) => e.kind === EventKind.EVENT_KIND_DRIVER_STATE);
      expect(driverEvents.map((e) => e.message)).toContain('The ModbusTcp driver is RUNNING');
    });

    it('publishes engineering values with quality', async () => {
      await sink.until(
        () =>
          ['temperature', 'pressure', 'flow', 'setpoint', 'counter', 'running'].every((n) => sink.latest(tags[n]!.id)),
        'first values',
      );
      const temperature = sink.latest(tags.temperature!.id);
      expect(temperature).toMatchObject({ deviceId: devices.boiler!.id, quality: Quality.QUALITY_GOOD });
      expect(valueOf(temperature)).toBeGreaterThanOrEqual(55);
      expect(valueOf(temperature)).toBeLessThanOrEqual(65);
      expect(temperature?.sourceTimestamp).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n);
      // 12345 × 0.01 = 123.45 is above max_value 100: Uncertain, value kept
      expect(sink.latest(tags.pressure!.id)).toMatchObject({
        rawValue: 12345,
        quality: Quality.QUALITY_UNCERTAIN,
        qualityReason: QualityReason.QUALITY_REASON_OUT_OF_RANGE,
      });
      expect(valueOf(sink.latest(tags.pressure!.id))).toBeCloseTo(123.45);
      expect(valueOf(sink.latest(tags.flow!.id))).toBeCloseTo(40); // 500 × 0.1 − 10
      expect(valueOf(sink.latest(tags.setpoint!.id))).toBe(20n);
      expect(valueOf(sink.latest(tags.running!.id))).toBe(true);
      expect(sink.framesOf(tags.command!.id)).toEqual([]); // write-only: never scanned
      expect(sink.latest(tags.typo!.id)).toMatchObject({
        quality: Quality.QUALITY_BAD,
        qualityReason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
      });
      expect(manager.tagProblem(devices.boiler!.id, tags.typo!.id)).toMatch(
        /^tag 'typo', address '4OOO1': "4OOO1" is not a Modbus address/,
      );
      expect(manager.tagProblem(devices.boiler!.id, tags.temperature!.id)).toBeUndefined();
      expect(Math.max(...sink.batches)).toBeLessThanOrEqual(2); // batch_size
    });

    it('publishes a tag with a deadband only when it moves beyond it, others every scan', async () => {
      const counter = tags.counter!.id;
      const before = sink.framesOf(counter).length;
      await sink.until(() => sink.framesOf(counter).length >= before + 5, 'more counter frames');
      // flow is scanned every 50 ms but never changes: one frame only
      expect(sink.framesOf(tags.flow!.id)).toHaveLength(1);
      // a bad frame is published once, not at every scan
      expect(sink.framesOf(tags.typo!.id)).toHaveLength(1);
    });

    it('keeps devices.status and last_seen current, and demotes a device that does not answer', async () => {
      await sink.until(
        () =>
          sink.events.some((e) => e.detail?.$case === 'deviceStatus' && e.detail.value.deviceId === devices.absent!.id),
        'the absent device to be reported',
      );
      const statusOf = async (device: Device) => (await repos.devices.get(device.id))!;
      await expect.poll(async () => (await statusOf(devices.boiler!)).status).toBe('Online');
      expect((await statusOf(devices.boiler!)).lastSeen?.getTime()).toBeGreaterThan(Date.now() - 10_000);
      await expect.poll(async () => (await statusOf(devices.absent!)).status).toBe('Offline');
      const absentEvent = sink.events.find(
        (e) =>
          e.detail?.$case === 'deviceStatus' &&
          e.detail.value.deviceId === devices.absent!.id &&
          e.detail.value.status === 'Offline',
      );
      expect(absentEvent?.message).toMatch(
        /^Device 'Absent' is Offline: 'Absent' \(unit 9 on 127\.0\.0\.1:\d+\), holding registers 40001: the device answered exception 11 \(Gateway target device failed to respond\); it is polled less often until it answers$/,
      );
      expect(sink.latest(tags['absent.value']!.id)).toMatchObject({ quality: Quality.QUALITY_BAD, errorCode: 11 });
      expect(manager.devices().find((d) => d.deviceId === devices.absent!.id)).toMatchObject({
        demoted: true,
        status: 'Offline',
      });
      // a configuration error is an Error status naming the field
      await expect.poll(async () => (await statusOf(devices.broken!)).status).toBe('Error');
      const broken = manager.devices().find((d) => d.deviceId === devices.broken!.id);
      expect(broken).toMatchObject({ state: 'failed' });
      expect(broken?.reason).toMatch(/^config\.modbus\.baudRate: is not a Modbus setting/);
      // disabled and maintenance devices are left alone
      expect(
        manager
          .devices()
          .map((d) => d.name)
          .sort(),
      ).toEqual(['Absent', 'Boiler', 'Broken']);
      expect((await statusOf(devices.maintenance!)).status).toBe('Maintenance');
    });

    it('writes through CommandFrames and acknowledges every command', async () => {
      const command = (tag: Tag, value: number, deviceId = devices.boiler!.id) => ({
        commandId: `c-${tag.name}-${value}`,
        tagId: tag.id,
        deviceId,
        value: { kind: { $case: 'doubleValue' as const, value } },
        originUser: 'alice',
        timeoutMs: 2000,
      });
      const ok = await manager.handleCommand(command(tags.setpoint!, 42));
      expect(ok).toMatchObject({ success: true, error: '', tagId: tags.setpoint!.id });
      expect(ok.actualValue?.kind).toEqual({ $case: 'intValue', value: 42n });
      expect(simulator.slave(1).bank.registers['holding-register'][4]).toBe(42);
      const writeOnly = await manager.handleCommand(command(tags.command!, 7));
      expect(writeOnly).toMatchObject({ success: true, actualValue: undefined });
      expect(simulator.slave(1).bank.registers['holding-register'][4]).toBe(7);

      const refusals = await Promise.all([
        manager.handleCommand(command(tags.counter!, 1)),
        manager.handleCommand(command(tags.setpoint!, 95)),
        manager.handleCommand(command(tags.setpoint!, 1, '00000000-0000-4000-8000-000000000000')),
        manager.handleCommand(command(tags['absent.value']!, 1, devices.boiler!.id)),
      ]);
      expect(refusals.map((ack) => [ack.success, ack.error])).toEqual([
        [false, "'counter' is read-only (its access is Read)"],
        [false, "95 is outside the range of 'setpoint' (0 … 90)"],
        [
          false,
          'device 00000000-0000-4000-8000-000000000000 is not polled by this gateway (unknown, disabled or in maintenance)',
        ],
        [false, `tag ${tags['absent.value']!.id} is not an enabled tag of device 'Boiler'`],
      ]);
      expect(simulator.slave(1).bank.registers['holding-register'][4]).toBe(7); // refused writes changed nothing
      expect(sink.acks.map((ack) => ack.commandId)).toEqual(
        expect.arrayContaining(['c-setpoint-42', 'c-command-7', 'c-counter-1', 'c-setpoint-95']),
      );
    });

    it('stops: drivers STOPPED, polled devices Unknown', async () => {
      await manager.stop();
      const registry = await repos.driverRegistry.get('ModbusTcp');
      expect(registry?.status).toBe('STOPPED');
      const boiler = await repos.devices.get(devices.boiler!.id);
      expect(boiler?.status).toBe('Unknown');
      expect(boiler?.lastSeen).not.toBeNull(); // last_seen keeps when it last answered
      const frames = sink.data.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.data.length).toBe(frames);
      // configuration changed while stopped is picked up at the next start (reload does both)
      const added = await repos.tags.create({
        deviceId: devices.boiler!.id,
        name: 'added',
        address: '40006',
        dataType: 'UInt16',
      });
      await manager.reload();
      await expect.poll(async () => (await repos.devices.get(devices.boiler!.id))?.status).toBe('Online');
      await sink.until(() => sink.latest(added.id)?.quality === Quality.QUALITY_GOOD, 'the added tag');
    });
  });
}
