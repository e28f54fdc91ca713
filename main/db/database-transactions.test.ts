// What the repositories rely on from a database handle, on both backends (embedded PGlite runs in
// a worker thread, PostgreSQL behind a pool): all-or-nothing transactions and savepoints, work
// outside a transaction that waits for one to end, typed values, typed constraint errors, and a
// closed store reported as unavailable. PGlite's worker dying is an outage too.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, migratedPgliteTemplate } from '../../test/database-backends.ts';
import { queryRows, type DatabaseHandle } from './database.ts';
import { ConstraintViolationError, isDatabaseUnavailable, withConstraintErrors } from './database-errors.ts';
import { PgliteWorkerClient } from './pglite-worker-client.ts';
import { repositories } from './repositories/repositories.ts';
import { until } from '../../test/wait.ts';

describe.each(databaseBackends())('database handle on $name', (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    if (backend.available) handle = await backend.open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  const count = async (): Promise<number> =>
    Number((await queryRows<{ n: string }>(handle.db, sql`SELECT count(*) AS n FROM devices`))[0]?.n);

  it.runIf(backend.available)('commits a transaction and rolls back one that throws', async () => {
    await handle.db.transaction(async (tx) => {
      await repositories(tx).devices.create({ name: 'kept', protocol: 'ModbusTcp', endpoint: 'a' });
    });
    await expect(
      handle.db.transaction(async (tx) => {
        await repositories(tx).devices.create({ name: 'undone', protocol: 'ModbusTcp', endpoint: 'b' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await repositories(handle.db).devices.list()).map((d) => d.name)).toEqual(['kept']);
  });

  it.runIf(backend.available)('rolls back to a savepoint and keeps the rest', async () => {
    await handle.db.transaction(async (tx) => {
      await repositories(tx).devices.create({ name: 'outer', protocol: 'ModbusTcp', endpoint: 'c' });
      await expect(
        tx.transaction(async (savepoint) => {
          await repositories(savepoint).devices.create({ name: 'inner', protocol: 'ModbusTcp', endpoint: 'd' });
          // the same name again: the savepoint fails, the outer transaction goes on
          await repositories(savepoint).devices.create({ name: 'inner', protocol: 'ModbusTcp', endpoint: 'e' });
        }),
      ).rejects.toBeInstanceOf(ConstraintViolationError);
    });
    const names = (await repositories(handle.db).devices.list()).map((d) => d.name);
    expect(names).toContain('outer');
    expect(names).not.toContain('inner');
  });

  it.runIf(backend.available)('keeps an open transaction’s changes from other work until it commits', async () => {
    const before = await count();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = handle.db.transaction(async (tx) => {
      await repositories(tx).devices.create({ name: 'pending', protocol: 'ModbusTcp', endpoint: 'f' });
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // PostgreSQL answers at once from the last committed state; PGlite (one connection) waits.
    const outside = count();
    release();
    await transaction;
    expect([before, before + 1]).toContain(await outside);
    expect(await count()).toBe(before + 1);
  });

  it.runIf(backend.available)('returns typed values', async () => {
    const [row] = await queryRows<{ n: number; t: string; b: boolean; j: unknown; a: unknown }>(
      handle.db,
      sql`SELECT 1::int AS n, 'x'::text AS t, true AS b, '{"k":[1]}'::jsonb AS j, ARRAY[1,2]::int[] AS a`,
    );
    expect(row).toMatchObject({ n: 1, t: 'x', b: true, j: { k: [1] } });
    const device = await repositories(handle.db).devices.create({
      name: 'dated',
      protocol: 'ModbusTcp',
      endpoint: 'g',
    });
    expect(device.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(device.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it.runIf(backend.available)('reports a constraint by name, field and words', async () => {
    const error = await withConstraintErrors(() =>
      handle.db.execute(sql`INSERT INTO devices (name, protocol, endpoint) VALUES ('', 'ModbusTcp', 'h')`),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error).toMatchObject({ kind: 'check', constraint: 'devices_name_not_empty', field: 'name' });
  });
});

describe('a closed or stopped embedded store', () => {
  const [pglite] = databaseBackends();

  it('refuses calls after close as unavailable', async () => {
    const handle = await pglite!.open();
    await handle.close();
    await handle.close(); // twice is harmless
    const error = await handle.db.execute(sql`SELECT 1`).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('reports a worker that dies as a database outage, to waiting and later calls', async () => {
    const crashes: Error[] = [];
    const client = await PgliteWorkerClient.open({
      template: await migratedPgliteTemplate(),
      migrate: false,
      onCrash: (error) => crashes.push(error),
    });
    const waiting = client.query('SELECT pg_sleep(0.5)');
    await client.worker.terminate();
    const errors = await Promise.all([
      waiting.catch((e: unknown) => e),
      client.query('SELECT 1').catch((e: unknown) => e),
    ]);
    for (const error of errors) {
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect((error as Error).message).toMatch(/^The embedded database stopped: its thread exited/);
    }
    expect(crashes).toHaveLength(1);
    await client.close();
  });

  it('reopens a data-folder database after its worker dies, with what was committed', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'gw-pglite-')), 'pglite');
    const crashes: Error[] = [];
    let recovered = 0;
    const client = await PgliteWorkerClient.open({
      dataDir,
      migrate: false,
      restartDelayMs: 50,
      onCrash: (error) => crashes.push(error),
      onRecovered: () => recovered++,
    });
    await client.query('CREATE TABLE kept (n int)');
    await client.query('INSERT INTO kept VALUES (1), (2)');
    const first = client.worker;
    await first.terminate();
    // meanwhile: an outage, answered at once rather than held
    const during = await client.query('SELECT 1').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(during)).toBe(true);
    await until(() => recovered === 1, 30_000);
    expect(client.worker).not.toBe(first);
    expect(crashes.map((e) => e.message)).toEqual(['The embedded database stopped: its thread exited (code 1)']);
    const rows = (await client.query('SELECT n FROM kept ORDER BY n')) as { rows: { n: number }[] };
    expect(rows.rows.map((r) => r.n)).toEqual([1, 2]);
    await client.close();
    expect(isDatabaseUnavailable(await client.query('SELECT 1').catch((e: unknown) => e))).toBe(true);
  }, 60_000);

  it('says what went wrong when a data folder cannot be opened', async () => {
    // a folder inside a file: mkdir fails before PGlite starts, and the error names the path
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'gw-pglite-')), 'not-a-folder');
    await writeFile(file, '');
    await expect(PgliteWorkerClient.open({ dataDir: path.join(file, 'pglite'), migrate: false })).rejects.toThrow(
      /ENOTDIR.*not-a-folder/,
    );
  });
});
