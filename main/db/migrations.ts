// Applies the drizzle migration folder (generated schema + custom SQL for functions, triggers
// and views) at start. drizzle records applied migrations in drizzle.__drizzle_migrations, so a
// second start applies nothing twice. On a shared PostgreSQL server an advisory lock keeps two
// gateways starting at the same moment from racing each other.
// Each backend's drizzle migrator is loaded when it migrates, so the PGlite worker does not
// load node-postgres.
//
// An embedded database whose schema is already current (every start but the first after an
// update) is told by one query, by drizzle's own rule (the newest applied migration is not older
// than the folder's newest), without loading drizzle's migrator: in the PGlite worker that saved
// 0.8-1.7 s of a start on this 2-core machine under load.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { appPath } from '../config/app-root.ts';

/** An arbitrary constant: the advisory lock id that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 7_204_113_911;

export function migrationsFolder(): string {
  return appPath('drizzle', 'migrations');
}

/** When the folder's newest migration was made: drizzle records it as its created_at. */
export function newestMigrationMillis(folder = migrationsFolder()): number {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/** Whether drizzle's migrator would apply nothing (false also when it never ran here). */
export async function pgliteSchemaIsCurrent(client: PGlite): Promise<boolean> {
  let newest: { created_at: string | number } | undefined;
  try {
    const result = await client.query<{ created_at: string | number }>(
      'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
    );
    newest = result.rows[0];
  } catch {
    return false; // no migrations table: a new database
  }
  return newest !== undefined && Number(newest.created_at) >= newestMigrationMillis();
}

export async function migratePglite(client: PGlite): Promise<void> {
  if (await pgliteSchemaIsCurrent(client)) return;
  const [{ drizzle: drizzlePglite }, { migrate: migratePgliteFolder }] = await Promise.all([
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  await migratePgliteFolder(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
}

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const [{ drizzle: drizzlePg }, { migrate: migratePgFolder }] = await Promise.all([
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migratePgFolder(drizzlePg(client), { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}
