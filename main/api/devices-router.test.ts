// Devices, tags, alert rules and driver configurations through the API: CRUD, search, errors
// that name the field in words, and names that look like SQL stored as the text they are.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, refusalOf, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { queryRows } from '../db/database.ts';

const SQL_NAMES = [
  "Robert'); DROP TABLE devices;--",
  "x' OR '1'='1",
  '"; DELETE FROM tags WHERE ""="',
  '$$; TRUNCATE users; $$',
  'tag\\%_',
];

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`devices and tags on ${backend.name}`, () => {
    let h: ApiHarness;
    let api: Awaited<ReturnType<ApiHarness['signedInAs']>>['api'];
    beforeAll(async () => {
      h = await apiHarness(await backend.open());
      ({ api } = await h.signedInAs('MAINTENANCE', 'tech'));
    });
    afterAll(() => h?.close());

    it('stores names that look like SQL as plain text', async () => {
      for (const name of SQL_NAMES) {
        const device = await api.devices.create({ name, protocol: 'ModbusTcp', endpoint: '127.0.0.1:502' });
        expect(device.name).toBe(name);
        const tag = await api.tags.create({ deviceId: device.id, name, address: name, dataType: 'Int16' });
        expect((await api.tags.get({ id: tag.id })).name).toBe(name);
        expect((await api.devices.list({ search: name })).map((d) => d.name)).toEqual([name]);
      }
      const tables = await queryRows<{ n: number }>(
        h.services.database.db,
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('devices','tags','users')`,
      );
      expect(tables[0]?.n).toBe(3);
      expect((await api.devices.list()).length).toBe(SQL_NAMES.length);
      expect(await h.services.repos.users.count()).toBeGreaterThan(0);
      // % and _ typed into a search match themselves, not everything.
      expect((await api.tags.list({ search: '\\%_' })).tags.map((t) => t.name)).toEqual(['tag\\%_']);
    });

    it('names the field and the rule when input or the database refuses', async () => {
      const empty = await refusalOf(api.devices.create({ name: '  ', protocol: 'ModbusTcp', endpoint: 'x' }));
      expect(empty).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
      expect(empty.message).toBe('Invalid input — name: must not be empty.');
      const protocol = await refusalOf(api.devices.create({ name: 'p', protocol: 'Profibus' as never, endpoint: 'x' }));
      expect(protocol.message).toMatch(/protocol: must be one of ModbusTcp, ModbusRtu/);

      const plc = await api.devices.create({ name: 'PLC-7', protocol: 'ModbusRtu', endpoint: '/dev/ttyUSB0' });
      const duplicate = await refusalOf(api.devices.create({ name: 'PLC-7', protocol: 'ModbusTcp', endpoint: 'y' }));
      expect(duplicate).toMatchObject({ code: 'CONFLICT', field: 'name' });
      expect(duplicate.message).toBe("A device named 'PLC-7' already exists.");

      await api.tags.create({ deviceId: plc.id, name: 'Flow', address: '30001', dataType: 'Float' });
      const tagTwice = await refusalOf(
        api.tags.create({ deviceId: plc.id, name: 'Flow', address: '30002', dataType: 'Float' }),
      );
      expect(tagTwice.message).toBe("A tag named 'Flow' already exists on device 'PLC-7'.");
      const range = await refusalOf(
        api.tags.create({ deviceId: plc.id, name: 'R', address: '1', dataType: 'Float', minValue: 5, maxValue: 1 }),
      );
      expect(range).toMatchObject({ field: 'minValue' });
      const scaling = await refusalOf(
        api.tags.create({ deviceId: plc.id, name: 'S', address: '1', dataType: 'Float', scaling: 0 }),
      );
      expect(scaling.message).toBe('Invalid input — scaling: must be greater than 0.');
      const orphan = await refusalOf(
        api.tags.create({
          deviceId: '00000000-0000-4000-8000-000000000000',
          name: 'O',
          address: '1',
          dataType: 'Float',
        }),
      );
      expect(orphan).toMatchObject({ code: 'BAD_REQUEST', field: 'deviceId' });
      expect(orphan.message).toMatch(/^Device '00000000-0000-4000-8000-000000000000' does not exist\.$/);
      // A partial update that breaks a rule with the stored values: the database's check, in words.
      const stored = await api.tags.create({
        deviceId: plc.id,
        name: 'M',
        address: '2',
        dataType: 'Float',
        maxValue: 10,
      });
      const late = await refusalOf(api.tags.update({ id: stored.id, minValue: 20 }));
      expect(late).toMatchObject({ code: 'BAD_REQUEST', field: 'minValue' });
      expect(late.message).toBe('The minimum value must not be greater than the maximum value.');
      const nothing = await refusalOf(api.devices.update({ id: plc.id }));
      expect(nothing.message).toMatch(/give at least one field to change/);
      const missing = await refusalOf(api.devices.get({ id: '00000000-0000-4000-8000-000000000001' }));
      expect(missing).toMatchObject({ code: 'NOT_FOUND' });
      expect(missing.message).toBe('Device 00000000-0000-4000-8000-000000000001 does not exist.');
    });

    it('updates, pages, deletes with cascade and records who changed a device', async () => {
      const device = await api.devices.create({ name: 'Pump', protocol: 'ModbusTcp', endpoint: '127.0.0.1:1502' });
      for (let i = 0; i < 12; i++) {
        await api.tags.create({
          deviceId: device.id,
          name: `P${String(i).padStart(2, '0')}`,
          address: `${i}`,
          dataType: 'UInt16',
        });
      }
      const page = await api.tags.list({ deviceId: device.id, limit: 5, offset: 10 });
      expect(page.total).toBe(12);
      expect(page.tags.map((t) => t.name)).toEqual(['P10', 'P11']);
      const updated = await api.devices.update({ id: device.id, location: 'Hall 2', enabled: false });
      expect(updated).toMatchObject({ location: 'Hall 2', enabled: false, updatedBy: 'tech', createdBy: 'tech' });
      const overview = (await api.devices.overview()).find((row) => row.id === device.id);
      expect(overview).toMatchObject({ tagCount: 12, enabledTagCount: 12 });
      await api.devices.delete({ id: device.id });
      expect((await api.tags.list({ deviceId: device.id })).total).toBe(0);
      const trail = await h.services.audit.query({ resourceId: device.id });
      expect(trail.map((row) => row.action).sort()).toEqual(['devices.create', 'devices.delete', 'devices.update']);
      expect(trail.every((row) => (row.details as { username: string }).username === 'tech')).toBe(true);
    });

    it('checks alert rule thresholds and keeps a rule on its tag’s device', async () => {
      const device = await api.devices.create({ name: 'Boiler', protocol: 'ModbusTcp', endpoint: '127.0.0.1:2502' });
      const other = await api.devices.create({ name: 'Chiller', protocol: 'ModbusTcp', endpoint: '127.0.0.1:3502' });
      const tag = await api.tags.create({ deviceId: device.id, name: 'Temp', address: '40001', dataType: 'Float' });
      const between = await refusalOf(
        api.alerts.rules.create({ name: 'b', conditionExpression: 'v', op: 'BETWEEN', thresholdLow: 5, level: 'INFO' }),
      );
      expect(between).toMatchObject({ field: 'thresholdHigh' });
      const rule = await api.alerts.rules.create({
        name: 'Boiler hot',
        tagId: tag.id,
        conditionExpression: 'value',
        op: 'GT',
        thresholdValue: 90,
        level: 'CRITICAL',
        evalInterval: 5_000,
      });
      expect(rule).toMatchObject({
        deviceId: device.id,
        evalInterval: 5_000,
        cooldownDuration: 300_000,
        createdBy: 'tech',
      });
      const mismatch = await refusalOf(api.alerts.rules.update({ id: rule.id, deviceId: other.id, tagId: tag.id }));
      expect(mismatch).toMatchObject({ code: 'BAD_REQUEST', field: 'tagId' });
      const switchOp = await refusalOf(api.alerts.rules.update({ id: rule.id, op: 'NOT_BETWEEN' }));
      expect(switchOp).toMatchObject({ code: 'BAD_REQUEST', field: 'thresholdValue' });
      expect(switchOp.message).toMatch(/BETWEEN and NOT_BETWEEN need both a low and a high threshold/);
      const band = await api.alerts.rules.create({
        name: 'Band',
        tagId: tag.id,
        conditionExpression: 'value',
        op: 'BETWEEN',
        thresholdLow: 5,
        thresholdHigh: 10,
        level: 'INFO',
      });
      const inverted = await refusalOf(api.alerts.rules.update({ id: band.id, thresholdLow: 20 }));
      expect(inverted).toMatchObject({ code: 'BAD_REQUEST', field: 'thresholdLow' });
      expect((await api.alerts.rules.get({ id: band.id })).thresholdLow).toBe(5);
      expect((await api.alerts.history({ ruleId: rule.id })).length).toBe(0);
      expect(await api.alerts.statistics()).toEqual([]);
    });

    it('manages driver configurations with the seed’s defaults', async () => {
      const config = await api.drivers.configs.create({
        name: 'Line 1 RTU',
        protocol: 'ModbusRtu',
        connectionType: 'serial',
      });
      expect(config).toMatchObject({ scanInterval: 1000, timeout: 5000, maxRetries: 3, logLevel: 'INFO' });
      const updated = await api.drivers.configs.update({ id: config.id, timeout: 250, caCertPath: '' });
      expect(updated).toMatchObject({ timeout: 250, caCertPath: null });
      const bad = await refusalOf(api.drivers.configs.update({ id: config.id, batchSize: 0 }));
      expect(bad).toMatchObject({ field: 'batchSize' });
      // the gateway's driver manager registered its built-in drivers at start; the devices created
      // above poll at once (edits apply without a reload), so theirs may already be RUNNING
      expect((await api.drivers.registry.list()).map((driver) => [driver.protocol, driver.status])).toEqual(
        expect.arrayContaining([
          ['ModbusTcp', expect.stringMatching(/^(LOADED|RUNNING)$/)],
          ['ModbusRtu', expect.stringMatching(/^(LOADED|RUNNING|ERROR)$/)],
        ]),
      );
      await api.drivers.configs.delete({ id: config.id });
      expect((await refusalOf(api.drivers.configs.get({ id: config.id }))).code).toBe('NOT_FOUND');
    });

    it('reports health: database, uptime and versions', async () => {
      h.clock.advance(90_000);
      const health = await api.system.health();
      expect(health).toMatchObject({ status: 'ok', database: { kind: backend.name }, uptimeSeconds: 90 });
      expect(health.database.serverVersion).toMatch(/PostgreSQL/);
      expect(health.versions.app).toMatch(/^\d+\.\d+\.\d+/);
    });
  });
}
