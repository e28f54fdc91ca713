// The main thread's side of embedded PGlite: PGlite runs in a worker thread (pglite-worker.ts)
// and this client gives drizzle's pglite driver the part of PGlite's interface it uses — query()
// and transaction() — over postMessage. A query then costs the main thread only the copying of
// its parameters and rows, not the milliseconds PostgreSQL-in-WebAssembly spends on it.
//
// A worker that dies (an uncaught error, an abort in the WebAssembly, a terminated thread) is a
// database outage: every waiting call fails with SQLSTATE 08006, which isDatabaseUnavailable()
// and the API report as "cannot reach its database". A database in a data folder then comes back
// by itself, as a PostgreSQL server restarted by its service manager would: a new worker reopens
// the folder (PostgreSQL's own crash recovery replays its WAL), retrying with a growing pause,
// and calls made meanwhile fail as the same outage instead of waiting. An in-memory database
// (tests) has nothing to reopen and stays down.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appPath } from '../config/app-root.ts';
import {
  deserializeError,
  type QueryRequest,
  type WorkerMessage,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';

export interface PgliteWorkerOptions {
  /** the data folder; omit for an in-memory database (tests) */
  dataDir?: string | undefined;
  /** a data-folder dump to start from (tests use a migrated template to save seconds) */
  template?: Uint8Array | undefined;
  /** apply pending migrations before the database is used */
  migrate: boolean;
  /** told each time the worker stops without being closed, and each time reopening fails */
  onCrash?: (error: Error) => void;
  /** told when a data-folder database is open again after a crash */
  onRecovered?: () => void;
  /** told each record change notification ('<table>:<id>', see record-read-model.ts) */
  onRecordChange?: (change: string) => void;
  /** the first pause before reopening after a crash, doubled per failed attempt up to 30 s */
  restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;

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
  private current: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  /** why calls fail now: closed, or the worker stopped (and has not been reopened yet) */
  private failure: Error | undefined;
  private closing = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** the worker reopening the data folder after a crash, until its 'open' is answered */
  private reopening: Worker | undefined;
  /** workers whose end was handled */
  private readonly ended = new WeakSet<Worker>();

  private constructor(private readonly options: PgliteWorkerOptions) {
    this.current = this.spawn();
  }

  /** the thread PGlite runs in now (tests end it to see a crash handled) */
  get worker(): Worker {
    return this.current;
  }

  static async open(options: PgliteWorkerOptions): Promise<PgliteWorkerClient> {
    const client = new PgliteWorkerClient(options);
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
    clearTimeout(this.restartTimer);
    try {
      if (!this.failure) await this.request({ op: 'close' });
    } finally {
      this.failure = new Error('PGlite is closed');
      await this.current.terminate();
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
    return this.post(this.current, request);
  }

  private post(worker: Worker, request: WorkerRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  private spawn(): Worker {
    const worker = startWorker();
    // Only a waiting request keeps the process alive (see post()); an idle database does not.
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      if (!('change' in message)) return this.settle(worker, message);
      if (worker === this.current) this.options.onRecordChange?.(message.change);
    });
    worker.on('error', (error) => this.stopped(worker, error.message));
    worker.on('exit', (code) => this.stopped(worker, `its thread exited (code ${code})`));
    return worker;
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting || worker !== this.current) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(deserializeError(reply.error));
  }

  private stopped(worker: Worker, reason: string): void {
    // once per worker ('error' is followed by 'exit'), and never for one a restart replaced
    if (worker !== this.current || this.ended.has(worker)) return;
    this.ended.add(worker);
    const error = this.closing ? new Error('PGlite is closed') : workerStoppedError(reason);
    this.failure = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    // a worker that dies while reopening fails its 'open', and scheduleRestart() carries on
    if (this.closing || worker === this.reopening) return;
    this.options.onCrash?.(error);
    if (this.options.dataDir !== undefined) this.scheduleRestart(this.options.restartDelayMs ?? 500);
  }

  /** Reopens the data folder in a new worker after `delayMs`; on failure waits twice as long. */
  private scheduleRestart(delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing) return;
      const worker = this.spawn();
      this.current = worker;
      this.reopening = worker;
      const open: WorkerRequest = { op: 'open', dataDir: this.options.dataDir, template: undefined, migrate: false };
      this.post(worker, open).then(
        () => {
          this.reopening = undefined;
          if (this.closing) return;
          this.failure = undefined;
          this.options.onRecovered?.();
        },
        (error: Error) => {
          this.reopening = undefined;
          if (this.closing) return;
          this.ended.add(worker);
          void worker.terminate();
          this.failure = workerStoppedError(`reopening it failed: ${error.message}`);
          this.options.onCrash?.(this.failure);
          this.scheduleRestart(Math.min(delayMs * 2, MAX_RESTART_DELAY_MS));
        },
      );
    }, delayMs);
    this.restartTimer.unref();
  }
}
