// The worker thread that runs embedded PGlite. PGlite is PostgreSQL compiled to WebAssembly: a
// query costs milliseconds of CPU on the thread that runs it, so it runs here and the main
// thread (bus, alert engine, API) only posts requests and reads replies. Serves
// pglite-worker-client.ts; one request at a time is in PGlite, as PGlite itself serialises them.
import { mkdir } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { migratePglite } from './migrations.ts';
import {
  RECORD_CHANGES_CHANNEL,
  serializeError,
  type RecordChangeNotice,
  type OpenRequest,
  type QueryRequest,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread (see pglite-worker-client.ts)');
const port = parentPort;

let client: PGlite | undefined;
/** Open transactions by id: the query handle and how to end it (true commits). */
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
let nextTransaction = 1;
/** Thrown out of PGlite's transaction callback to make it roll back; not an error. */
const ROLLBACK = Symbol('rollback');
/** How each transaction ended: resolves when COMMIT or ROLLBACK has run. */
const ended = new Map<number, Promise<void>>();

function open(request: OpenRequest): Promise<PGlite> {
  return (async () => {
    if (request.dataDir) await mkdir(request.dataDir, { recursive: true });
    const pg = await PGlite.create(request.dataDir ?? 'memory://', {
      ...(request.template ? { loadDataDir: new Blob([request.template]) } : {}),
    });
    if (request.migrate) {
      try {
        await migratePglite(pg);
      } catch (error) {
        await pg.close().catch(() => undefined);
        // database.ts words it as "Migrating … failed" (an open that failed is said as it is)
        throw Object.assign(error as Error, { stage: 'migrate' });
      }
    }
    await pg.listen(RECORD_CHANGES_CHANNEL, (change) => port.postMessage({ change } satisfies RecordChangeNotice));
    return pg;
  })();
}

function ready(): PGlite {
  if (!client) throw new Error('PGlite is closed');
  return client;
}

function query(request: QueryRequest): Promise<unknown> {
  const parsers = Object.fromEntries(request.textTypes.map((oid) => [oid, (text: string) => text]));
  const options = { rowMode: request.rowMode, parsers };
  if (request.tx === undefined) return ready().query(request.sql, request.params, options);
  const open = transactions.get(request.tx);
  if (!open) throw new Error(`Transaction ${request.tx} is not open`);
  return open.tx.query(request.sql, request.params, options);
}

/** Starts a transaction that stays open until commit or rollback arrives; resolves to its id. */
function begin(): Promise<number> {
  const pg = ready();
  const id = nextTransaction++;
  return new Promise((resolve, reject) => {
    let begun = false;
    const outcome = pg
      .transaction(async (tx) => {
        const commit = await new Promise<boolean>((end) => {
          transactions.set(id, { tx, end });
          begun = true;
          resolve(id);
        });
        if (!commit) throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error === ROLLBACK) return;
        if (!begun) return reject(error);
        throw error;
      })
      .finally(() => transactions.delete(id));
    outcome.catch(() => undefined); // awaited (and reported) by end()
    ended.set(id, outcome);
  });
}

async function end(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  const outcome = ended.get(id);
  if (!open || !outcome) throw new Error(`Transaction ${id} is not open`);
  ended.delete(id);
  open.end(commit);
  await outcome;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      client = await open(request);
      return undefined;
    case 'query':
      return query(request);
    case 'begin':
      return begin();
    case 'commit':
    case 'rollback':
      return end(request.tx, request.op === 'commit');
    case 'dump': {
      const dump = await ready().dumpDataDir('none');
      return new Uint8Array(await dump.arrayBuffer());
    }
    case 'close': {
      const closing = client;
      client = undefined;
      await closing?.close();
      return undefined;
    }
  }
}

port.on('message', ({ id, request }: { id: number; request: WorkerRequest }) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      reply = { id, ok: true, value: await handle(request) };
    } catch (error) {
      reply = { id, ok: false, error: serializeError(error) };
    }
    port.postMessage(reply);
  })();
});
