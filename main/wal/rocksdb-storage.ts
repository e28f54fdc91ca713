// WalStorage on RocksDB through the npm `rocksdb` package (N-API prebuilds for Linux, Windows
// and macOS). Options follow the seed's RocksDB configuration where the binding exposes them:
// 64 MB write buffer and target file size, 1000 open files, compression (the binding offers
// Snappy, not the seed's LZ4).
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import rocksdb, { type RocksDB, type RocksIterator } from 'rocksdb';
import binding from 'rocksdb/binding.js';
import { checkTableFiles, type TableDamage } from './sst-check.ts';
import type { KeyRange, StorageChunk, StorageCursor, WalStorage, WalStorageBatch } from './wal-storage.ts';

const MB = 1024 * 1024;

function callback<T = void>(
  resolve: (value: T) => void,
  reject: (error: Error) => void,
): (error: Error | null | undefined, value?: T) => void {
  return (error, value) => (error ? reject(error) : resolve(value as T));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function asBuffer(value: Uint8Array | string): Buffer | string {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Opens (creating if needed) a RocksDB database in `location`. `label` names it in errors: the
 * WAL and the historian's embedded series store each have their own.
 */
export async function openRocksDbStorage(location: string, label = 'the write-ahead log'): Promise<WalStorage> {
  await mkdir(location, { recursive: true });
  // Before RocksDB opens: it opens tables already then, and damage it reads unchecked can abort
  // the process (sst-check.ts). Only damaged complete tables are changed, so a folder that
  // another process has open (whose lock then refuses this open) is not disturbed otherwise.
  const damage = await checkTableFiles(location);
  const db = await openRocksDb(location, label);
  return new RocksDbStorage(db, location, label, damage);
}

async function openRocksDb(location: string, label: string): Promise<RocksDB> {
  const db = rocksdb(location);
  await new Promise<void>((resolve, reject) =>
    db.open(
      {
        createIfMissing: true,
        compression: true,
        writeBufferSize: 64 * MB,
        maxFileSize: 64 * MB,
        maxOpenFiles: 1000,
        infoLogLevel: 'error',
      },
      callback(resolve, (error) => {
        const reason = /lock/i.test(error.message)
          ? 'another Gateway Workstation (or another gateway in this process) is using this data folder'
          : error.message;
        reject(new Error(`Cannot open ${label} in ${location}: ${reason}`, { cause: error }));
      }),
    ),
  );
  return db;
}

class RocksDbStorage implements WalStorage {
  private failedWrite = false;
  private writeChain: Promise<unknown> = Promise.resolve();
  private reopening: Promise<void> | undefined;
  /** Open cursors: ended here before the database closes (see close()). */
  private readonly cursors = new Set<RocksDbCursor>();

  constructor(
    private db: RocksDB,
    readonly location: string,
    private readonly label: string,
    readonly tableDamage: readonly TableDamage[],
  ) {}

  get needsReopen(): boolean {
    return this.failedWrite;
  }

  /**
   * Runs writes one after another; a failure marks the store for reopening before the next one.
   * One at a time, so that no write can be in flight beside a failing one and land behind its
   * torn log record.
   */
  private guardedWrite(write: () => Promise<void>): Promise<void> {
    const result = this.writeChain.then(async () => {
      if (this.failedWrite) await this.reopen();
      try {
        await write();
      } catch (error) {
        this.failedWrite = true;
        throw error;
      }
    });
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  batch(): WalStorageBatch {
    // The binding would write a batch into a closed database handle (and crash): a batch is
    // refused on a closed store, and one built before a reopen is refused at write().
    const db = this.db;
    if (db.status !== 'open') throw new Error(`${capitalised(this.label)} in ${this.location} is not open`);
    const batch = db.batch();
    return {
      // Straight to the binding: the package's put() re-validates key and value on every call,
      // ~20 % of the cost of a put at a few hundred thousand frames per second.
      put: (key, value) => binding.batch_put(batch.context, asBuffer(key), asBuffer(value)),
      write: (sync) =>
        this.guardedWrite(() => {
          if (db !== this.db || db.status !== 'open') {
            return Promise.reject(new Error(`${capitalised(this.label)} was reopened after this batch was built`));
          }
          return new Promise<void>((resolve, reject) => batch.write({ sync }, callback(resolve, reject)));
        }),
    };
  }

  get(key: string): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) =>
      this.db.get(key, { asBuffer: true }, (error, value) => {
        if (error && /^NotFound/.test(error.message)) resolve(undefined);
        else if (error) reject(error);
        else resolve(value);
      }),
    );
  }

  put(key: string, value: Uint8Array | string, sync: boolean): Promise<void> {
    return this.guardedWrite(
      () => new Promise((resolve, reject) => this.db.put(key, asBuffer(value), { sync }, callback(resolve, reject))),
    );
  }

  del(key: string, sync: boolean): Promise<void> {
    return this.guardedWrite(
      () => new Promise((resolve, reject) => this.db.del(key, { sync }, callback(resolve, reject))),
    );
  }

  cursor(range: KeyRange & { reverse?: boolean; limit?: number }): StorageCursor {
    if (this.db.status !== 'open') throw new Error(`${capitalised(this.label)} in ${this.location} is not open`);
    const iterator = this.db.iterator({
      ...range,
      limit: range.limit ?? -1,
      keyAsBuffer: false,
      valueAsBuffer: true,
      highWaterMark: MB,
    });
    const cursor = new RocksDbCursor(iterator, () => this.cursors.delete(cursor));
    this.cursors.add(cursor);
    return cursor;
  }

  clearRange(range: { gte: string; lt: string }): Promise<void> {
    // The binding's clear() walks the range in C++ and deletes in batches: one call from here,
    // no per-key round trip. (It has no DeleteRange; compaction then drops the tombstones.)
    return new Promise((resolve, reject) => this.db.clear(range, callback(resolve, reject)));
  }

  compactRange(start: string, end: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.compactRange(start, end, callback(resolve, reject)));
  }

  reopen(): Promise<void> {
    this.reopening ??= (async () => {
      try {
        await this.close();
        this.db = await openRocksDb(this.location, this.label);
        this.failedWrite = false;
      } finally {
        this.reopening = undefined;
      }
    })();
    return this.reopening;
  }

  async diskSize(): Promise<number> {
    // RocksDB keeps every file (tables, its own log, manifest) flat in its folder.
    const names = await readdir(this.location);
    const sizes = await Promise.all(
      names.map((name) =>
        stat(path.join(this.location, name)).then(
          (s) => (s.isFile() ? s.size : 0),
          () => 0,
        ),
      ),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  }

  async close(): Promise<void> {
    // The binding ends open iterators itself when the database closes, but a later end() on
    // such an iterator never calls back: end them here first, and make later calls fail fast.
    await Promise.all([...this.cursors].map((cursor) => cursor.close(`${this.label} was closed or reopened`)));
    if (this.db.status !== 'open') return;
    await new Promise<void>((resolve, reject) => this.db.close(callback(resolve, reject)));
  }
}

/**
 * Reads through the binding's iterator_next, which returns up to 1000 entries per call; the
 * package's iterator.next() hands them out one per process.nextTick, which halves replay speed.
 * The next chunk is requested as soon as one is handed out, so RocksDB reads while we decode.
 */
class RocksDbCursor implements StorageCursor {
  private finished = false;
  private closedBecause: string | undefined;
  private ended: Promise<void> | undefined;
  private ahead: Promise<StorageChunk | undefined> | undefined;

  constructor(
    private readonly iterator: RocksIterator,
    private readonly onClose: () => void,
  ) {}

  async next(): Promise<StorageChunk | undefined> {
    if (this.closedBecause) throw new Error(`Cannot read on: ${this.closedBecause}`);
    const chunk = await (this.ahead ?? this.read());
    this.ahead = this.finished ? undefined : this.read();
    // Nobody may be waiting on a prefetch when the cursor closes; its error surfaces on next().
    this.ahead?.catch(() => undefined);
    return chunk;
  }

  private read(): Promise<StorageChunk | undefined> {
    if (this.finished) return Promise.resolve(undefined);
    return new Promise((resolve, reject) =>
      binding.iterator_next(this.iterator.context, (error, entries, finished) => {
        if (error) return reject(error);
        if (finished) this.finished = true;
        if (entries.length === 0) return resolve(undefined);
        const count = entries.length / 2;
        const keys = new Array<string>(count);
        const values = new Array<Buffer>(count);
        for (let i = 0, j = entries.length - 1; i < count; i++, j -= 2) {
          keys[i] = entries[j] as string;
          values[i] = entries[j - 1] as Buffer;
        }
        resolve({ keys, values });
      }),
    );
  }

  close(reason = 'the cursor was closed'): Promise<void> {
    this.closedBecause ??= reason;
    this.finished = true;
    this.ended ??= new Promise<void>((resolve, reject) => this.iterator.end(callback(resolve, reject))).finally(
      this.onClose,
    );
    return this.ended;
  }
}
