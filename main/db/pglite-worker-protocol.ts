// The messages between the main thread's PgliteWorkerClient and the worker thread that runs
// PGlite (pglite-worker.ts). Everything here crosses postMessage, so it is plain data.

export interface OpenRequest {
  op: 'open';
  /** the data folder; absent for an in-memory database */
  dataDir: string | undefined;
  /** a data-folder dump to start from (tests) */
  template: Uint8Array | undefined;
  migrate: boolean;
}

export interface QueryRequest {
  op: 'query';
  /** the open transaction this query belongs to; absent outside a transaction */
  tx: number | undefined;
  sql: string;
  params: unknown[];
  rowMode: 'array' | 'object';
  /**
   * Type OIDs whose text is returned as it is, unparsed: drizzle passes identity parsers for
   * dates, timestamps and intervals (it parses them itself), and functions cannot be posted.
   */
  textTypes: number[];
}

export type WorkerRequest =
  | OpenRequest
  | QueryRequest
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'dump' }
  | { op: 'close' };

/** A PostgreSQL error's fields (code, constraint, detail…), which structured cloning would drop. */
export interface WorkerError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerError };

/** The channel the record change trigger (migration 0005) notifies on. */
export const RECORD_CHANGES_CHANNEL = 'gateway_record_changes';

/**
 * A record change notification ('<table>:<id>'), posted when PGlite reports it: for a write, that
 * is before the reply to the statement (or COMMIT) that made it, as PGlite queues its listeners'
 * calls while it reads the statement's result, before the statement's own promise resolves.
 */
export interface RecordChangeNotice {
  change: string;
}

export type WorkerMessage = WorkerReply | RecordChangeNotice;

export function serializeError(error: unknown): WorkerError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

export function deserializeError(error: WorkerError): Error {
  const result = Object.assign(new Error(error.message), error.fields);
  result.name = error.name;
  return result;
}
