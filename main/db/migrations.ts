// Applies the drizzle migration folder (generated schema + custom SQL for functions, triggers
// and views) at start. drizzle records applied migrations in drizzle.__drizzle_migrations, so a
// second start applies nothing twice. On a shared PostgreSQL server an advisory lock keeps two
// gateways starting at the same moment from racing each other.
// Each backend's drizzle migrator is loaded when it migrates, so the PGlite worker does not
// load node-postgres.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { appPath } from '../config/app-root.ts';

/** An arbitrary constant: the advisory lock id that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 7_204_113_911;

export function migrationsFolder(): string {
  return appPath('drizzle', 'migrations');
}

export async function migratePglite(client: PGlite): Promise<void> {
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
