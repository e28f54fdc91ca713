// devices.get answers from memory on the embedded database (record-read-model.ts) and must still
// say exactly what the database holds after every committed write, whoever made it, and nothing
// of a transaction that rolled back. Run on both backends: PostgreSQL has no read model, and the
// same answers prove the two agree.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../test/database-backends.ts';
import { importDevices } from '../transfer/device-transfer.ts';
import { queryRows, type DatabaseHandle } from './database.ts';
import { readModelOf, RecordReadModel } from './record-read-model.ts';
import { repositories, type Repositories } from './repositories/repositories.ts';
import type { Device } from './repositories/devices-repository.ts';

describe.each(databaseBackends())('devices read model on $name', (backend) => {
  let handle: DatabaseHandle;
  let repos: Repositories;
  beforeAll(async () => {
    if (!backend.available) return;
    handle = await backend.open();
    repos = repositories(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** What the database itself holds for the device, read around any read model. */
  async function stored(id: string): Promise<{ name: string; endpoint: string; status: string } | undefined> {
    const [row] = await queryRows<{ name: string; endpoint: string; status: string }>(
      handle.db,
      sql`SELECT name, endpoint, status FROM devices WHERE id = ${id}`,
    );
    return row;
  }

  async function expectSame(id: string): Promise<Device | undefined> {
    const device = await repos.devices.get(id);
    const row = await stored(id);
    expect(device && { name: device.name, endpoint: device.endpoint, status: device.status }).toEqual(row);
    return device;
  }

  it.runIf(backend.available)('is read through on PGlite only, never inside a transaction', async () => {
    expect(readModelOf(handle.db, 'devices') !== undefined).toBe(backend.name === 'pglite');
    await handle.db.transaction(async (tx) => expect(readModelOf(tx, 'devices')).toBeUndefined());
  });

  it.runIf(backend.available)('follows create, update, status, delete and raw SQL', async () => {
    const device = await repos.devices.create({ name: 'RM-1', protocol: 'ModbusTcp', endpoint: '127.0.0.1:1' });
    expect((await expectSame(device.id))?.name).toBe('RM-1');
    await repos.devices.update(device.id, { endpoint: '127.0.0.1:2' });
    expect((await expectSame(device.id))?.endpoint).toBe('127.0.0.1:2');
    // update_device_status() writes around the repository's update()
    await repos.devices.setStatus(device.id, 'Online');
    expect((await expectSame(device.id))?.status).toBe('Online');
    await handle.db.execute(sql`UPDATE devices SET name = 'RM-1 renamed' WHERE id = ${device.id}`);
    expect((await expectSame(device.id))?.name).toBe('RM-1 renamed');
    // a second repository over the same database shares the model
    await repositories(handle.db).devices.update(device.id, { name: 'RM-1 again' });
    expect((await expectSame(device.id))?.name).toBe('RM-1 again');
    await repos.devices.delete(device.id);
    expect(await expectSame(device.id)).toBeUndefined();
  });

  it.runIf(backend.available)('hands out copies: a caller changing its row changes nothing', async () => {
    const device = await repos.devices.create({ name: 'RM-copy', protocol: 'ModbusTcp', endpoint: 'a' });
    const first = (await repos.devices.get(device.id))!;
    first.name = 'scribbled';
    (first.config as Record<string, unknown>).x = 1;
    const second = (await repos.devices.get(device.id))!;
    expect(second.name).toBe('RM-copy');
    expect(second.config).toEqual({});
  });

  it.runIf(backend.available)('shows a committed transaction at once and a rolled-back one never', async () => {
    const device = await repos.devices.create({ name: 'RM-tx', protocol: 'ModbusTcp', endpoint: 'before' });
    await repos.devices.get(device.id); // cached
    await expect(
      handle.db.transaction(async (tx) => {
        await repositories(tx).devices.update(device.id, { endpoint: 'rolled back' });
        // inside the transaction its own write shows; outside it does not yet
        expect((await repositories(tx).devices.get(device.id))?.endpoint).toBe('rolled back');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await expectSame(device.id))?.endpoint).toBe('before');

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const committing = handle.db.transaction(async (tx) => {
      await repositories(tx).devices.update(device.id, { endpoint: 'committed' });
      await held;
    });
    // a read racing the commit gets either row (PGlite runs it after the commit, PostgreSQL
    // before or after) and may keep it...
    const during = repos.devices.get(device.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await committing;
    expect(['before', 'committed']).toContain((await during)?.endpoint);
    // ...and once the commit has returned, the new one
    expect((await expectSame(device.id))?.endpoint).toBe('committed');
  });

  it.runIf(backend.available)('follows an import, and an import with a bad row changes nothing', async () => {
    const device = await repos.devices.create({ name: 'RM-import', protocol: 'ModbusTcp', endpoint: 'old' });
    await repos.devices.get(device.id);
    const bad = await importDevices(
      handle.db,
      'csv',
      'name,protocol,endpoint\nRM-import,ModbusTcp,refused\n,ModbusTcp,x\n',
      { replaceExisting: true, username: 'test' },
    );
    expect(bad.applied).toBe(false);
    expect((await expectSame(device.id))?.endpoint).toBe('old');
    const good = await importDevices(handle.db, 'csv', 'name,protocol,endpoint\nRM-import,ModbusTcp,new\n', {
      replaceExisting: true,
      username: 'test',
    });
    expect(good.applied).toBe(true);
    expect((await expectSame(device.id))?.endpoint).toBe('new');
  });

  it.runIf(backend.available)('forgets everything on TRUNCATE', async () => {
    const device = await repos.devices.create({ name: 'RM-truncate', protocol: 'ModbusTcp', endpoint: 'a' });
    await repos.devices.get(device.id);
    await handle.db.execute(sql`TRUNCATE devices CASCADE`);
    expect(await expectSame(device.id)).toBeUndefined();
  });
});

describe('RecordReadModel', () => {
  it('does not keep a row read while a change arrived', async () => {
    const model = new RecordReadModel<{ v: number }>();
    let finish!: (row: { v: number }) => void;
    const loading = model.get('a', () => new Promise((resolve) => (finish = resolve)));
    model.changed('a');
    finish({ v: 1 });
    expect(await loading).toEqual({ v: 1 });
    expect(model.size).toBe(0);
    expect(await model.get('a', async () => ({ v: 2 }))).toEqual({ v: 2 });
    expect(await model.get('a', async () => ({ v: 3 }))).toEqual({ v: 2 });
  });

  it('keeps nothing once closed', async () => {
    const model = new RecordReadModel<{ v: number }>();
    await model.get('a', async () => ({ v: 1 }));
    model.close();
    expect(model.size).toBe(0);
    expect(await model.get('a', async () => ({ v: 2 }))).toEqual({ v: 2 });
    expect(model.size).toBe(0);
  });
});
