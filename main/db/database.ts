// Opens the relational store: embedded PGlite in the data folder by default (in a worker thread,
// see pglite-worker-client.ts), or a PostgreSQL server when a connection string is configured.
// Both speak the same drizzle API and run the same migration folder, so nothing above this file
// knows which one it has.
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { migratePostgres } from './migrations.ts';
import { PgliteWorkerClient } from './pglite-worker-client.ts';
import { attachRecordChangeFeed, RecordChangeFeed } from './record-read-model.ts';

export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** A short description for logs and the system screen, with no password in it. */
  description: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; omit for an in-memory database (tests). */
  pgliteDir?: string | undefined;
  /** A PGlite data-folder dump to start from (tests use a migrated template to save seconds). */
  pgliteTemplate?: Uint8Array | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

async function migrateOrClose(handle: DatabaseHandle, migrate: () => Promise<void>): Promise<DatabaseHandle> {
  try {
    await migrate();
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new Error(`Migrating ${handle.description} failed: ${(error as Error).message}`, { cause: error });
  }
}

async function openPglite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const description = options.pgliteDir ? `embedded PGlite in ${options.pgliteDir}` : 'embedded PGlite (in memory)';
  let client: PgliteWorkerClient;
  // The read models forget everything when the worker stops: notifications may have been lost.
  const changes = new RecordChangeFeed();
  try {
    client = await PgliteWorkerClient.open({
      dataDir: options.pgliteDir,
      template: options.pgliteTemplate,
      migrate: options.migrate !== false,
      onRecordChange: (change) => changes.notify(change),
      onCrash: (error) => {
        changes.reset();
        console.error(`[db] ${error.message}${options.pgliteDir ? '; reopening it' : ''}`);
      },
      onRecovered: () => {
        changes.reset();
        console.warn(`[db] ${description} is open again`);
      },
    });
  } catch (error) {
    const migrating = (error as { stage?: unknown }).stage === 'migrate';
    if (!migrating) throw error;
    throw new Error(`Migrating ${description} failed: ${(error as Error).message}`, { cause: error });
  }
  const handle = await pgliteHandle(client, description);
  attachRecordChangeFeed(handle.db, changes);
  return {
    ...handle,
    close: () => {
      changes.close();
      return handle.close();
    },
  };
}

/**
 * A handle over an open PGlite worker client (tests build one to make its worker fail). drizzle
 * is loaded here, not at the top: the headless server opens the database before it listens, and
 * drizzle's modules would hold up the sign-in page (≈0.5 s on a busy machine).
 */
export async function pgliteHandle(client: PgliteWorkerClient, description: string): Promise<DatabaseHandle> {
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  return {
    // drizzle's pglite driver calls only query() and transaction(), which the worker client serves.
    db: drizzlePglite(client as unknown as PGlite) as unknown as Database,
    kind: 'pglite',
    description,
    close: () => client.close(),
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  // Loaded only here: the default (embedded) start does not pay for node-postgres' modules.
  const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'gateway-workstation',
  });
  // An idle connection that breaks (the server restarts, the network drops) is reported here;
  // without a listener the pool's 'error' event would end the process. The next query reconnects.
  pool.on('error', (error) => console.warn(`[db] lost an idle PostgreSQL connection: ${error.message}`));
  // A pool never connects until asked; ask now so a wrong URL or a stopped server is reported at
  // start, in words, instead of at the first query.
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const handle: DatabaseHandle = {
    db: drizzlePg(pool) as unknown as Database,
    kind: 'postgres',
    description: `PostgreSQL at ${redactUrl(url)}`,
    close: () => pool.end(),
  };
  return options.migrate === false ? handle : migrateOrClose(handle, () => migratePostgres(pool));
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable connection string)';
  }
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
