// Checks RocksDB's table files before RocksDB opens them, so that a damaged block can never
// abort the process. The binding's iterators read with verify_checksums off (binding.cc), so
// RocksDB decompresses a data block without checking it first; when the damage hits the block's
// compression-type byte, RocksDB 6.17 builds its "corrupted compressed block" error with
// CompressionTypeToString(), which asserts on an unknown type: the prebuilt binding has
// assertions on, and the whole process aborts (point reads and compactions do verify, and fail
// with a Corruption error instead). RocksDB offers no way to make the binding's iterators verify.
//
// So every data block's checksum is verified here, and a block that fails is made one that
// RocksDB refuses on every path: its compression type set to Snappy and its first bytes to a
// Snappy header that cannot be parsed. An iterator then fails with "Corruption: ... corrupted
// compressed block contents", a point read or a compaction with "block checksum mismatch", and
// the readers step over the block and report its frames lost (frame-cursor.ts). The block held
// nothing readable: RocksDB never returns a block whose checksum fails to a verifying read.
//
// RocksDB reads a table's metaindex and properties blocks without checksums too, when it opens
// the table, and even as the database opens (table properties for its statistics, read without
// checking the magic number), and parses them with assertions: garbage there aborted the process
// as well (`limit - p >= 3` in block.cc). A table whose footer, metaindex, index or properties
// block is damaged is refused whole: the footer's checksum type and block handles are
// overwritten with bytes that cannot be a varint, and every RocksDB path that opens the file
// stops at its footer ("bad checksum type") before it reads any block. Reads of its keys fail
// with a Corruption error from then on, and what it held is reported lost as above; the rest of
// the file is left as it was.
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BlockHandle,
  blockChecksumMatches,
  FOOTER_HANDLES_SIZE,
  FOOTER_SIZE,
  readTableLayout,
  TableStructureError,
} from './sst-layout.ts';

export interface TableDamage {
  file: string;
  /** Data blocks whose checksum failed, now refused by RocksDB. */
  damagedBlocks: number;
  /** Why the whole table is refused (a damaged footer, metaindex, index or properties block). */
  unreadable?: string;
}

/** A Snappy stream whose length varint does not end within 5 bytes: RocksDB's Snappy refuses it. */
const UNPARSEABLE_SNAPPY = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]);
const SNAPPY = 1;

/** Writes each change at its offset, and syncs before the database opens the file. */
async function overwrite(file: string, changes: { at: number; bytes: Uint8Array }[]): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    for (const { at, bytes } of changes) await handle.write(bytes, 0, bytes.length, at);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function refusedBlock(block: BlockHandle): { at: number; bytes: Uint8Array }[] {
  return [
    { at: block.offset, bytes: UNPARSEABLE_SNAPPY.subarray(0, Math.min(block.size, UNPARSEABLE_SNAPPY.length)) },
    { at: block.offset + block.size, bytes: Uint8Array.of(SNAPPY) },
  ];
}

async function checkTable(file: string): Promise<TableDamage | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    // deleted meanwhile (by another process that has the database open: its open will fail)
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let unreadable: string | undefined;
  let damaged: BlockHandle[] = [];
  try {
    const layout = readTableLayout(bytes);
    const properties = layout.metaBlocks.get('rocksdb.properties');
    if (properties && !blockChecksumMatches(bytes, properties)) unreadable = 'its properties block is damaged';
    else damaged = layout.dataBlocks.filter((block) => !blockChecksumMatches(bytes, block));
  } catch (error) {
    if (!(error instanceof TableStructureError || error instanceof RangeError)) throw error;
    unreadable = error.message;
  }
  if (unreadable) {
    // a file shorter than a footer RocksDB refuses by itself ("file is too short")
    if (bytes.length >= FOOTER_SIZE) {
      await overwrite(file, [
        { at: bytes.length - FOOTER_SIZE, bytes: new Uint8Array(FOOTER_HANDLES_SIZE).fill(0xff) },
      ]);
    }
    return { file, damagedBlocks: 0, unreadable };
  }
  if (damaged.length === 0) return undefined;
  await overwrite(file, damaged.flatMap(refusedBlock));
  return { file, damagedBlocks: damaged.length };
}

/** Checks every table file in a RocksDB folder; returns the damaged ones (none: an empty list). */
export async function checkTableFiles(folder: string): Promise<TableDamage[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const damage: TableDamage[] = [];
  // one at a time: a table file can be 64 MB, read whole
  for (const name of names.filter((n) => n.endsWith('.sst')).sort()) {
    const found = await checkTable(path.join(folder, name));
    if (found) damage.push(found);
  }
  return damage;
}
