// Applies the drizzle migration folder (generated schema + custom SQL for functions, triggers
// and views) at start. drizzle records applied migrations in drizzle.__drizzle_migrations, so a
// second start applies nothing twice. On a shared PostgreSQL server an advisory lock keeps two
// gateways starting at the same moment from racing each other.
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePgFolder } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePgliteFolder } from 'drizzle-orm/pglite/migrator';
import type pg from 'pg';
import { appPath } from '../config/app-root.ts';

/** An arbitrary constant: the advisory lock id that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 7_204_113_911;

export function migrationsFolder(): string {
  return appPath('drizzle', 'migrations');
}

export async function migratePglite(client: PGlite): Promise<void> {
  await migratePgliteFolder(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
}

export async function migratePostgres(pool: pg.Pool): Promise<void> {
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
