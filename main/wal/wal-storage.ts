// The WAL's view of its key-value store: ordered string keys, binary values, atomic batches,
// range reads and range deletes. RocksDB (rocksdb-storage.ts) implements it today; the npm
// `rocksdb` package is no longer maintained upstream, so nothing else may depend on it directly.
import type { TableDamage } from './sst-check.ts';

export interface KeyRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
}

export interface WalStorageBatch {
  /** Copies key and value into the batch at once: the caller may reuse both afterwards. */
  put(key: string | Uint8Array, value: Uint8Array | string): void;
  /** Writes the batch atomically; with `sync`, returns only once it is on stable storage. */
  write(sync: boolean): Promise<void>;
}

/** A run of entries in key order; `values[i]` belongs to `keys[i]`. */
export interface StorageChunk {
  keys: string[];
  values: Buffer[];
}

export interface StorageCursor {
  /** The next chunk of entries, or undefined at the end of the range. */
  next(): Promise<StorageChunk | undefined>;
  close(): Promise<void>;
}

export interface WalStorage {
  readonly location: string;
  /**
   * Damaged table files found when the store opened: their damaged blocks are refused with a
   * Corruption error from then on (readers skip them and report what they held as lost).
   */
  readonly tableDamage: readonly TableDamage[];
  batch(): WalStorageBatch;
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, value: Uint8Array | string, sync: boolean): Promise<void>;
  del(key: string, sync: boolean): Promise<void>;
  /** Reads a key range in chunks (forward, or backward with `reverse`), up to `limit` entries. */
  cursor(range: KeyRange & { reverse?: boolean; limit?: number }): StorageCursor;
  /** Deletes every key in [gte, lt) with one call. */
  clearRange(range: { gte: string; lt: string }): Promise<void>;
  /** Lets the store reclaim the space of deleted keys in [start, end). */
  compactRange(start: string, end: string): Promise<void>;
  /**
   * True after a failed write. A store that failed a write may have left a torn record at the
   * end of its log, and a record appended behind it would be lost at the next start: it must be
   * reopened (so that it recovers its log) before it is written again. Its own put/del/batch
   * writes do that by themselves; a batch cannot be built on a store that needs it.
   */
  readonly needsReopen: boolean;
  /** Closes and opens the store again. Cursors opened before fail and must be opened again. */
  reopen(): Promise<void>;
  /** Bytes the store occupies on disk. */
  diskSize(): Promise<number>;
  close(): Promise<void>;
}

/** A read RocksDB refused because a table block is damaged (its checksum, its compression). */
export function isStorageCorruption(error: unknown): boolean {
  return error instanceof Error && /corruption/i.test(error.message);
}
