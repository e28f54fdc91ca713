// Imports and exports of devices and tags through the API, on both backends: a file round-trips,
// and a file with bad rows changes nothing and reports every problem against its row and column.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';

const DEVICES_CSV = [
  'name,description,protocol,location,endpoint,config,enabled',
  'PLC-1,Main line,ModbusTcp,Hall 1,127.0.0.1:502,"{""unitId"":1}",true',
  'PLC-2,,ModbusRtu,,/dev/ttyUSB0,,no',
  '"=HYPERLINK(""x"")",formula-looking name,Mqtt,,mqtt://127.0.0.1,,',
].join('\r\n');

/** What an import could change: the driver runtime moves status, lastSeen and updatedAt on its own (an
 * MQTT device with no broker goes Offline whenever its first connect attempt fails). */
function configuredDevices(devices: { status: unknown; lastSeen: unknown; updatedAt: unknown }[]) {
  return devices.map(({ status: _status, lastSeen: _lastSeen, updatedAt: _updatedAt, ...configured }) => configured);
}

for (const backend of databaseBackends()) {
  describe.skipIf(!backend.available)(`imports and exports on ${backend.name}`, () => {
    let h: ApiHarness;
    let api: Awaited<ReturnType<ApiHarness['signedInAs']>>['api'];
    beforeAll(async () => {
      h = await apiHarness(await backend.open());
      ({ api } = await h.signedInAs('MAINTENANCE', 'importer'));
    });
    afterAll(() => h?.close());

    it('imports devices and tags from CSV and exports them back the same', async () => {
      const devices = await api.devices.import({ format: 'csv', content: DEVICES_CSV });
      expect(devices).toMatchObject({ applied: true, records: 3, created: 3, updated: 0, problems: [] });
      expect(await h.services.repos.devices.getByName('PLC-2')).toMatchObject({
        protocol: 'ModbusRtu',
        enabled: false,
        description: null,
        createdBy: 'importer',
      });
      const tags = await api.tags.import({
        format: 'csv',
        content: [
          'device,name,address,dataType,scaling,minValue,maxValue,scanRate,unit',
          'PLC-1,Temp,40001,Float,0.1,-40,120,500,°C',
          'PLC-1,Run,00001,Boolean,,,,,',
          'PLC-2,Flow,30001,UInt16,1,,,,m³/h',
        ].join('\n'),
      });
      expect(tags).toMatchObject({ applied: true, created: 3 });

      const exported = await api.devices.export({ format: 'csv' });
      expect(exported.fileName).toMatch(/^devices-2026-03-01-08-00-00\.csv$/);
      // A spreadsheet would run this cell as a formula: it is written with a leading apostrophe.
      expect(exported.content).toContain(`"'=HYPERLINK(""x"")"`);
      const tagFile = await api.tags.export({ format: 'json' });
      const tagRows = JSON.parse(tagFile.content) as Record<string, unknown>[];
      expect(tagRows.find((row) => row.name === 'Temp')).toMatchObject({
        device: 'PLC-1',
        scaling: 0.1,
        minValue: -40,
        unit: '°C',
        accessType: 'Read',
      });

      // Re-importing the export over the same records replaces them and changes nothing.
      const before = await api.devices.list();
      const again = await api.devices.import({ format: 'csv', content: exported.content, replaceExisting: true });
      expect(again).toMatchObject({ applied: true, created: 0, updated: 3 });
      const after = await api.devices.list();
      expect(after.map(({ name, description, config, enabled }) => ({ name, description, config, enabled }))).toEqual(
        before.map(({ name, description, config, enabled }) => ({ name, description, config, enabled })),
      );
      const tagsAgain = await api.tags.import({ format: 'json', content: tagFile.content, replaceExisting: true });
      expect(tagsAgain).toMatchObject({ applied: true, updated: 3 });

      const audit = await h.services.audit.query({ actionPrefix: 'devices.export' });
      expect(audit[0]).toMatchObject({ success: true, details: expect.objectContaining({ records: 3 }) });
    });

    it('changes nothing when any row is bad, and reports every problem by row and column', async () => {
      const devicesBefore = configuredDevices(await api.devices.list());
      const tagsBefore = (await api.tags.list()).tags;
      const report = await api.tags.import({
        format: 'csv',
        content: [
          'device,name,address,dataType,scaling,minValue,maxValue,enabled',
          'PLC-1,Good1,40010,Float,1,,,yes', // line 2: fine
          'PLC-1,,40011,Float,1,,,yes', // line 3: no name
          'PLC-9,Lost,40012,Float,1,,,yes', // line 4: no such device
          'PLC-1,Temp,40013,Float,1,,,yes', // line 5: exists already
          'PLC-2,Odd,40014,Double,zero,,,maybe', // line 6: two bad cells
          'PLC-2,Range,40015,Float,1,10,1,', // line 7: min > max
          'PLC-2,Good2,40016,Float,1,,,', // line 8: fine
        ].join('\n'),
      });
      expect(report.applied).toBe(false);
      expect(report.created).toBe(0);
      expect(report.problems).toEqual([
        { row: 3, field: 'name', message: 'Is required.' },
        { row: 4, field: 'device', message: "There is no device named 'PLC-9'." },
        { row: 5, field: 'name', message: "A tag named 'Temp' already exists on device 'PLC-1'." },
        { row: 6, field: 'scaling', message: 'Must be a number.' },
        { row: 6, field: 'enabled', message: 'Must be true or false.' },
        { row: 7, field: 'minValue', message: 'Must not be greater than maxValue.' },
      ]);
      expect(configuredDevices(await api.devices.list())).toEqual(devicesBefore);
      expect((await api.tags.list()).tags).toEqual(tagsBefore);
      const audit = await h.services.audit.query({ actionPrefix: 'tags.import' });
      expect(audit[0]).toMatchObject({ success: false, errorMessage: '6 problems in the file; nothing was imported' });

      const duplicates = await api.devices.import({
        format: 'json',
        content: JSON.stringify([
          { name: 'New-1', protocol: 'ModbusTcp', endpoint: 'a' },
          { name: 'New-1', protocol: 'ModbusTcp', endpoint: 'b' },
        ]),
      });
      expect(duplicates.problems).toEqual([
        { row: 2, field: 'name', message: "A device named 'New-1' already exists." },
      ]);
      expect(await h.services.repos.devices.getByName('New-1')).toBeUndefined();
    });

    it('refuses an unreadable file as a whole, in words', async () => {
      const cases: [string, 'csv' | 'json', RegExp][] = [
        ['name,protocol,endpoint\n"PLC,ModbusTcp,x\n', 'csv', /CSV file cannot be read: Quote Not Closed/],
        [
          'name,protocl,endpoint\nA,ModbusTcp,x\n',
          'csv',
          /unknown columns: protocl\. The columns are: name, description/,
        ],
        ['name,name\nA,B\n', 'csv', /names the column 'name' twice/],
        ['{"name":"A"}', 'json', /must hold an array/],
        ['[{"name":"A"},42]', 'json', /Record 2 of the JSON file is not an object/],
        ['[{"nmae":"A"}]', 'json', /Record 1 of the JSON file has unknown columns: nmae/],
        ['not json', 'json', /JSON file cannot be read/],
      ];
      for (const [content, format, message] of cases) {
        const error = await api.devices.import({ format, content }).then(
          () => undefined,
          (e: unknown) => e as TRPCError & { field?: string },
        );
        expect(error, content).toBeInstanceOf(TRPCError);
        expect(error?.code).toBe('BAD_REQUEST');
        expect(error?.field).toBe('content');
        expect(error?.message).toMatch(message);
      }
    });

    it('lets only ADMIN and MAINTENANCE import, but everybody export', async () => {
      const { api: viewer } = await h.signedInAs('VIEWER', 'reader');
      const refused = await viewer.devices.import({ format: 'csv', content: DEVICES_CSV }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'FORBIDDEN' });
      expect((await viewer.tags.export({ format: 'csv' })).records).toBeGreaterThan(0);
    });
  });
}
