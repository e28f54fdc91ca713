// The main thread's side of embedded PGlite: PGlite runs in a worker thread (pglite-worker.ts)
// and this client gives drizzle's pglite driver the part of PGlite's interface it uses — query()
// and transaction() — over postMessage. A query then costs the main thread only the copying of
// its parameters and rows, not the milliseconds PostgreSQL-in-WebAssembly spends on it.
//
// A worker that dies (an uncaught error, an abort in the WebAssembly, a terminated thread) is a
// database outage: every waiting and later call fails with SQLSTATE 08006, which
// isDatabaseUnavailable() and the API report as "cannot reach its database".
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appPath } from '../config/app-root.ts';
import { deserializeError, type QueryRequest, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.ts';

export interface PgliteWorkerOptions {
  /** the data folder; omit for an in-memory database (tests) */
  dataDir?: string | undefined;
  /** a data-folder dump to start from (tests use a migrated template to save seconds) */
  template?: Uint8Array | undefined;
  /** apply pending migrations before the database is used */
  migrate: boolean;
  /** told once when the worker stops without being closed */
  onCrash?: (error: Error) => void;
}

/** The slice of PGlite's query options drizzle passes: a row mode and identity parsers. */
export interface WorkerQueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

export interface WorkerQueryable {
  query(sql: string, params?: unknown[], options?: WorkerQueryOptions): Promise<unknown>;
}

/** Starts the worker: the built file, or under Vitest and tsx the TypeScript source through tsx. */
function startWorker(): Worker {
  const options = { name: 'pglite', execArgv: [] };
  if (import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./pglite-worker-from-source.mjs', import.meta.url), options);
  }
  const built = appPath('out', 'main', 'pglite-worker.js');
  if (!existsSync(built)) throw new Error(`The PGlite worker ${built} is missing: run the build`);
  return new Worker(pathToFileURL(built), options);
}

/** SQLSTATE 08006 (connection failure): what a dead worker means to the callers. */
export function workerStoppedError(reason: string): Error {
  return Object.assign(new Error(`The embedded database stopped: ${reason}`), { code: '08006' });
}

export class PgliteWorkerClient implements WorkerQueryable {
  /** the thread PGlite runs in (tests end it to see a crash handled) */
  readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  /** why calls fail now: closed, or the worker stopped */
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly onCrash: ((error: Error) => void) | undefined) {
    this.worker = startWorker();
    // Only a waiting request keeps the process alive (see request()); an idle database does not.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.stopped(error.message));
    this.worker.on('exit', (code) => this.stopped(`its thread exited (code ${code})`));
  }

  static async open(options: PgliteWorkerOptions): Promise<PgliteWorkerClient> {
    const client = new PgliteWorkerClient(options.onCrash);
    try {
      await client.request({
        op: 'open',
        dataDir: options.dataDir,
        template: options.template,
        migrate: options.migrate,
      });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    return client;
  }

  query(sql: string, params: unknown[] = [], options: WorkerQueryOptions = {}): Promise<unknown> {
    return this.queryIn(undefined, sql, params, options);
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: WorkerQueryable) => Promise<T>): Promise<T> {
    const id = (await this.request({ op: 'begin' })) as number;
    let result: T;
    try {
      result = await work({ query: (sql, params = [], options = {}) => this.queryIn(id, sql, params, options) });
    } catch (error) {
      await this.request({ op: 'rollback', tx: id }).catch(() => undefined);
      throw error;
    }
    await this.request({ op: 'commit', tx: id });
    return result;
  }

  /** The whole data folder as an uncompressed tar (a template for tests). */
  async dump(): Promise<Uint8Array> {
    return (await this.request({ op: 'dump' })) as Uint8Array;
  }

  /** Closes PGlite (it writes what it holds) and ends the worker; safe to call twice. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      if (!this.failure) await this.request({ op: 'close' });
    } finally {
      this.failure ??= new Error('PGlite is closed');
      await this.worker.terminate();
    }
  }

  private queryIn(
    tx: number | undefined,
    sql: string,
    params: unknown[],
    options: WorkerQueryOptions,
  ): Promise<unknown> {
    const request: QueryRequest = {
      op: 'query',
      tx,
      sql,
      params,
      rowMode: options.rowMode ?? 'object',
      textTypes: Object.keys(options.parsers ?? {}).map(Number),
    };
    return this.request(request);
  }

  private request(request: WorkerRequest): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(deserializeError(reply.error));
  }

  private stopped(reason: string): void {
    if (this.failure) return;
    const error = this.closing ? new Error('PGlite is closed') : workerStoppedError(reason);
    this.failure = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    if (!this.closing) this.onCrash?.(error);
  }
}
