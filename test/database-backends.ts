// Runs a suite against both relational backends: embedded PGlite and the shared PostgreSQL
// server of this test run, each test file getting fresh, migrated databases.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../main/db/database.ts';

export interface DatabaseBackend {
  name: 'pglite' | 'postgres';
  /** false when the backend cannot run here (the suite is skipped, or CI fails in global setup) */
  available: boolean;
  /** a fresh, migrated, empty database */
  open(): Promise<DatabaseHandle>;
}

let pgliteTemplate: Promise<Uint8Array> | undefined;

/** The migrated PGlite dump global-setup.ts made: a loaded dump starts in ~1 s, a fresh cluster ~4 s. */
export function migratedPgliteTemplate(): Promise<Uint8Array> {
  pgliteTemplate ??= readFile(inject('pgliteTemplateFile')).then((buffer) => new Uint8Array(buffer));
  return pgliteTemplate;
}

export async function createPostgresDatabase(adminUrl: string): Promise<string> {
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function databaseBackends(): DatabaseBackend[] {
  const postgresUrl = inject('postgresUrl');
  return [
    {
      name: 'pglite',
      available: true,
      open: async () => openDatabase({ pgliteTemplate: await migratedPgliteTemplate(), migrate: false }),
    },
    {
      name: 'postgres',
      available: postgresUrl !== '',
      open: async () => openDatabase({ url: await createPostgresDatabase(postgresUrl), poolSize: 4 }),
    },
  ];
}
