// Types for the parts of the npm `rocksdb` package (5.2.1, abstract-leveldown 7) that
// rocksdb-storage.ts uses. The package ships no declarations.
declare module 'rocksdb' {
  export type Callback<T = void> = (error: Error | undefined | null, result?: T) => void;

  export interface RocksOpenOptions {
    createIfMissing?: boolean;
    errorIfExists?: boolean;
    compression?: boolean;
    cacheSize?: number;
    writeBufferSize?: number;
    blockSize?: number;
    maxOpenFiles?: number;
    maxFileSize?: number;
    infoLogLevel?: 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'header';
  }

  export interface RocksRange {
    gt?: string;
    gte?: string;
    lt?: string;
    lte?: string;
    reverse?: boolean;
    limit?: number;
  }

  export interface RocksIterator {
    /** the native iterator handle, for rocksdb/binding.js */
    readonly context: unknown;
    end(callback: Callback): void;
  }

  export interface RocksChainedBatch {
    /** the native batch handle, for rocksdb/binding.js */
    readonly context: unknown;
    put(key: string, value: Buffer | string): this;
    write(options: { sync: boolean }, callback: Callback): void;
  }

  export interface RocksDB {
    readonly status: string;
    open(options: RocksOpenOptions, callback: Callback): void;
    close(callback: Callback): void;
    get(key: string, options: { asBuffer: true; fillCache?: boolean }, callback: Callback<Buffer>): void;
    put(key: string, value: Buffer | string, options: { sync: boolean }, callback: Callback): void;
    del(key: string, options: { sync: boolean }, callback: Callback): void;
    batch(): RocksChainedBatch;
    iterator(
      options: RocksRange & { keyAsBuffer?: boolean; valueAsBuffer?: boolean; highWaterMark?: number; keys?: boolean },
    ): RocksIterator;
    clear(options: RocksRange, callback: Callback): void;
    compactRange(start: string, end: string, callback: Callback): void;
    getProperty(property: string): string;
  }

  function rocksdb(location: string): RocksDB;
  export default rocksdb;
}

declare module 'rocksdb/binding.js' {
  const binding: {
    /** Copies key and value into the native batch at once. */
    batch_put(context: unknown, key: Buffer | string, value: Buffer | string): void;
    /** Reads up to 1000 entries; the array holds them last-first: [..., value1, key1, value0, key0]. */
    iterator_next(
      context: unknown,
      callback: (error: Error | null, entries: (string | Buffer)[], finished: boolean) => void,
    ): void;
  };
  export default binding;
}
