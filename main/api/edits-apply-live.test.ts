// Edits take effect without a restart, on both database backends: a real gateway polling the
// Modbus simulator, changed only through the API (no drivers.reload, no restart). A new device
// with a tag shows values, a changed tag reads its new address, a disabled device stops, a
// re-enabled one polls its new unit, a driver configuration's change reaches its devices, a
// deleted device stops; the device that was not edited polls on undisturbed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { until } from '../../test/wait.ts';
import { EventKind } from '../../proto/generated/frame.ts';
import type { Subscription } from '../bus/subscription.ts';
import { startModbusSimulator, type ModbusSimulator } from '../simulator/modbus-simulator.ts';

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`edits apply while the gateway polls (${backend.name})`, () => {
    let h: ApiHarness;
    let simulator: ModbusSimulator;
    let endpoint: string;
    let otherId: string;
    let otherTagId: string;
    let statusEvents: Subscription;
    const statusChanges: Array<{ deviceId: string; status: string }> = [];

    beforeAll(async () => {
      h = await apiHarness(await backend.open());
      simulator = await startModbusSimulator({
        tcp: { port: 0 },
        tickMs: 20,
        slaves: [
          {
            unitId: 1,
            points: [
              { address: '40001', dataType: 'UInt16', waveform: { kind: 'fixed', value: 111 } },
              { address: '40002', dataType: 'UInt16', waveform: { kind: 'fixed', value: 222 } },
              { address: '40010', dataType: 'Int16', waveform: { kind: 'fixed', value: 20 } },
            ],
          },
          { unitId: 2, points: [{ address: '40002', dataType: 'UInt16', waveform: { kind: 'fixed', value: 333 } }] },
        ],
      });
      endpoint = `127.0.0.1:${simulator.tcpPort}`;
      const { repos } = h.services;
      await repos.driverConfigs.create({
        name: 'Fast TCP',
        protocol: 'ModbusTcp',
        connectionType: 'tcp',
        scanInterval: 50,
        timeout: 300,
        maxRetries: 1,
        retryInterval: 100,
        maxRetryInterval: 200,
      });
      // A device polled from the start, which no edit below touches.
      const other = await repos.devices.create({
        name: 'Other',
        protocol: 'ModbusTcp',
        endpoint,
        config: { modbus: { unitId: 2 } },
      });
      const [otherTag] = await repos.tags.createMany([
        { deviceId: other.id, name: 'other_value', address: '40002', dataType: 'UInt16' },
      ]);
      otherId = other.id;
      otherTagId = otherTag!.id;
      await h.services.drivers.reload();
      await until(() => h.services.lastValues.get(otherTagId)?.value === 333);
      statusEvents = h.services.bus.subscribe({ name: 'test device status', types: ['event'] }, (frame) => {
        if (frame.type !== 'event' || frame.payload.kind !== EventKind.EVENT_KIND_DEVICE_STATUS) return;
        const detail = frame.payload.detail;
        if (detail?.$case === 'deviceStatus') statusChanges.push(detail.value);
      });
    });

    afterAll(async () => {
      statusEvents?.unsubscribe();
      await h?.close();
      await simulator?.stop();
    });

    const polled = (deviceId: string) => h.services.drivers.devices().find((d) => d.deviceId === deviceId);

    it('a device and tag added through the API show values, and its writable tag takes a write', async () => {
      const { api } = await h.signedInAs('MAINTENANCE');
      const device = await api.devices.create({
        name: 'Added',
        protocol: 'ModbusTcp',
        endpoint,
        config: { modbus: { unitId: 1 } },
      });
      const reading = await api.tags.create({
        deviceId: device.id,
        name: 'reading',
        address: '40001',
        dataType: 'UInt16',
      });
      await until(() => h.services.lastValues.get(reading.id)?.value === 111);
      expect(polled(device.id)).toMatchObject({ status: 'Online', driverConfig: 'Fast TCP' });

      const setpoint = await api.tags.create({
        deviceId: device.id,
        name: 'setpoint',
        address: '40010',
        dataType: 'Int16',
        accessType: 'ReadWrite',
        minValue: 0,
        maxValue: 90,
      });
      await until(() => h.services.lastValues.get(setpoint.id)?.value === 20);
      const written = await api.tags.write({ id: setpoint.id, value: 42 });
      expect(written).toMatchObject({ success: true, actualValue: 42 });

      // a changed address is read at once
      await api.tags.update({ id: reading.id, address: '40002' });
      await until(() => h.services.lastValues.get(reading.id)?.value === 222);

      // a deleted tag is no longer polled: the device's groups count one tag fewer
      const before = polled(device.id)!.groups.reduce((sum, g) => sum + g.tags, 0);
      await api.tags.delete({ id: setpoint.id });
      expect(polled(device.id)!.groups.reduce((sum, g) => sum + g.tags, 0)).toBe(before - 1);

      // the device nobody edited polled on: it never left Online
      expect(statusChanges.filter((change) => change.deviceId === otherId)).toEqual([]);
      expect(polled(otherId)?.status).toBe('Online');
    });

    it('disabling stops a device, enabling polls it with its new settings, deleting stops it', async () => {
      const { api } = await h.signedInAs('MAINTENANCE');
      const [device] = await api.devices.list({ search: 'Added' });
      const [tag] = await api.tags.list({ deviceId: device!.id }).then((page) => page.tags);

      await api.devices.update({ id: device!.id, enabled: false });
      expect(polled(device!.id)).toBeUndefined();
      expect((await api.devices.get({ id: device!.id })).status).toBe('Unknown');

      await api.devices.update({ id: device!.id, enabled: true, config: { modbus: { unitId: 2 } } });
      await until(() => h.services.lastValues.get(tag!.id)?.value === 333);
      expect(polled(device!.id)?.status).toBe('Online');

      // a driver configuration's change reaches the devices of its protocol
      const [config] = await api.drivers.configs.list();
      await api.drivers.configs.update({ id: config!.id, name: 'Renamed TCP' });
      expect(polled(device!.id)?.driverConfig).toBe('Renamed TCP');
      expect(polled(otherId)?.driverConfig).toBe('Renamed TCP');

      await api.devices.delete({ id: device!.id });
      expect(polled(device!.id)).toBeUndefined();
      expect((await api.drivers.status()).devices.map((d) => d.deviceId)).not.toContain(device!.id);
    });
  });
}
