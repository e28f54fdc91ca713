// In-memory read models of small, hot tables (devices), for the embedded database only.
//
// The API's most common query, devices.get, cost ≈2.5 ms on PGlite (a worker round trip and
// PostgreSQL-in-WebAssembly planning and running the SELECT) for a row that changes a few times
// a day. A read model answers it from memory and stays exact through the database's own
// notifications: a trigger (migration 0005) NOTIFYs '<table>:<id>' for every written row, which
// PostgreSQL delivers at commit and never for a rolled-back transaction, and which also covers
// writes that bypass the repositories (update_device_status(), cascades, raw SQL). PGlite reports
// a commit's notifications to the worker before the commit's own reply (pglite-worker.ts), so
// once a write has returned, no read is served the old row.
//
// Only PGlite gets one: only this process opens its data folder. On an external PostgreSQL
// another process may write, and a notification arrives on its own connection some time after
// the writer's commit has returned, so a read right after a write could see the old row; there
// every read goes to the server (whose round trip is a fraction of PGlite's, see bench:api).
// Transactions never read through it: their repositories are built over the transaction, which
// has no read model, so a transaction sees its own uncommitted writes.

/** The table of each cached record type, as the trigger names it. */
export type CachedTable = 'devices';

/** A read model of one table's rows by id, filled as rows are read. */
export class RecordReadModel<Row> {
  private readonly rows = new Map<string, Row>();
  /** bumped by every change: a load that overlapped one does not store what it read */
  private generation = 0;
  /** the database was closed: every read goes to it (and fails as it does) */
  private closed = false;

  constructor(private readonly maxRows = 10_000) {}

  /**
   * The row with `id`: a copy of the cached one, or `load()`'s (stored when no change arrived
   * while it loaded). A caller may change what it gets without changing the model.
   */
  async get(id: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    const cached = this.rows.get(id);
    if (cached !== undefined) return structuredClone(cached);
    const generation = this.generation;
    const row = await load();
    if (row !== undefined && generation === this.generation && !this.closed) {
      if (this.rows.size >= this.maxRows) this.rows.clear();
      this.rows.set(id, structuredClone(row));
    }
    return row;
  }

  /** Forgets the row `id` changed, or every row ('*': a TRUNCATE, or the database reopened). */
  changed(id: string): void {
    this.generation++;
    if (id === '*') this.rows.clear();
    else this.rows.delete(id);
  }

  /** Forgets every row and keeps none from now on (the database was closed). */
  close(): void {
    this.closed = true;
    this.changed('*');
  }

  /** how many rows it holds (tests) */
  get size(): number {
    return this.rows.size;
  }
}

/** The change notifications of one database: what the trigger of migration 0005 sends. */
export class RecordChangeFeed {
  private readonly models = new Map<CachedTable, RecordReadModel<unknown>>();
  private closed = false;

  /** The read model of `table`, one per database, shared by all its repositories. */
  readModel<Row>(table: CachedTable): RecordReadModel<Row> {
    let model = this.models.get(table);
    if (!model) {
      model = new RecordReadModel<unknown>();
      if (this.closed) model.close();
      this.models.set(table, model);
    }
    return model as RecordReadModel<Row>;
  }

  /** A notification's payload, '<table>:<id>' or '<table>:*'. */
  notify(payload: string): void {
    const colon = payload.indexOf(':');
    this.models.get(payload.slice(0, colon) as CachedTable)?.changed(payload.slice(colon + 1));
  }

  /** Forgets everything: notifications may have been lost (the worker stopped and was reopened). */
  reset(): void {
    for (const model of this.models.values()) model.changed('*');
  }

  /** The database was closed: the read models hold nothing and every read goes to it. */
  close(): void {
    this.closed = true;
    for (const model of this.models.values()) model.close();
  }
}

const feeds = new WeakMap<object, RecordChangeFeed>();

/** Marks `db` (a database, never a transaction) as one whose changes `feed` reports. */
export function attachRecordChangeFeed(db: object, feed: RecordChangeFeed): void {
  feeds.set(db, feed);
}

/** The read model of `table` over `db`, when `db` has a change feed (PGlite, outside a transaction). */
export function readModelOf<Row>(db: object, table: CachedTable): RecordReadModel<Row> | undefined {
  return feeds.get(db)?.readModel<Row>(table);
}
