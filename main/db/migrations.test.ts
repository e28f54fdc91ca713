// Migrations run at every start and must be idempotent: a second start against an existing
// database applies nothing twice, and two gateways starting together against one server do not
// race each other.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { createPostgresDatabase, migratedPgliteTemplate } from '../../test/database-backends.ts';
import { openDatabase, queryRows, redactUrl, type DatabaseHandle } from './database.ts';
import { migrationsFolder, pgliteSchemaIsCurrent } from './migrations.ts';

async function appliedMigrations(handle: DatabaseHandle): Promise<{ hash: string; created_at: string }[]> {
  return queryRows(
    handle.db,
    sql`SELECT hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY id`,
  );
}

async function migrationFileCount(): Promise<number> {
  return (await readdir(migrationsFolder())).filter((f) => f.endsWith('.sql')).length;
}

describe('migrations on PGlite persisted in the data folder', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('applies every migration once and none on the second start', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gw-pglite-'));
    dirs.push(dir);
    const first = await openDatabase({ pgliteDir: dir });
    const applied = await appliedMigrations(first);
    expect(applied).toHaveLength(await migrationFileCount());
    await first.db.execute(sql`INSERT INTO devices (name, protocol, endpoint) VALUES ('kept', 'ModbusTcp', 'x:502')`);
    await first.close();

    const second = await openDatabase({ pgliteDir: dir });
    expect(await appliedMigrations(second)).toEqual(applied);
    const rows = await queryRows<{ name: string }>(second.db, sql`SELECT name FROM devices`);
    expect(rows.map((r) => r.name)).toEqual(['kept']);
    await second.close();
    // two on-disk PGlite starts, the first with initdb: seconds each, many on a loaded machine
  }, 120_000);
});

describe('the check that spares a current PGlite schema the migrator', () => {
  it('says current only when the newest migration of the folder is applied', async () => {
    const pg = await PGlite.create('memory://', { loadDataDir: new Blob([await migratedPgliteTemplate()]) });
    try {
      expect(await pgliteSchemaIsCurrent(pg)).toBe(true);
      // A database one migration behind (the app was updated): the migrator must run.
      await pg.query(
        'DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)',
      );
      expect(await pgliteSchemaIsCurrent(pg)).toBe(false);
      // A database the migrator never ran on.
      await pg.query('DROP SCHEMA drizzle CASCADE');
      expect(await pgliteSchemaIsCurrent(pg)).toBe(false);
    } finally {
      await pg.close();
    }
  }, 60_000);
});

const postgresUrl = inject('postgresUrl');

describe.skipIf(!postgresUrl)('migrations on PostgreSQL', () => {
  it('applies every migration once when two gateways start together, and none on a later start', async () => {
    const url = await createPostgresDatabase(postgresUrl);
    const [a, b] = await Promise.all([openDatabase({ url, poolSize: 2 }), openDatabase({ url, poolSize: 2 })]);
    const applied = await appliedMigrations(a);
    expect(applied).toHaveLength(await migrationFileCount());
    await Promise.all([a.close(), b.close()]);

    const again = await openDatabase({ url, poolSize: 2 });
    expect(await appliedMigrations(again)).toEqual(applied);
    await again.close();
  });

  it('reports an unreachable server in words, without the password', async () => {
    await expect(openDatabase({ url: 'postgres://gw:secret@127.0.0.1:1/none' })).rejects.toThrow(
      /^Cannot connect to PostgreSQL at postgres:\/\/gw:\*\*\*@127\.0\.0\.1:1\/none: /,
    );
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgresql://u:p@h:5432/db?sslmode=require')).toBe(
      'postgresql://u:***@h:5432/db?sslmode=require',
    );
    expect(redactUrl('not a url')).toBe('(unparsable connection string)');
  });
});
