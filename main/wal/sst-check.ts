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
// A damaged footer, index, metaindex or properties block makes RocksDB refuse the whole table
// with a Corruption error (measured with scripts/sst-damage-survey.ts): it is reported, and left.
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type BlockHandle, blockChecksumMatches, readTableLayout, TableStructureError } from './sst-layout.ts';

export interface TableDamage {
  file: string;
  /** Data blocks whose checksum failed, now refused by RocksDB. */
  damagedBlocks: number;
  /** Why RocksDB cannot read the table at all (a damaged footer, index, meta block). */
  unreadable?: string;
}

/** A Snappy stream whose length varint does not end within 5 bytes: RocksDB's Snappy refuses it. */
const UNPARSEABLE_SNAPPY = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]);
const SNAPPY = 1;

async function refuseBlocks(file: string, blocks: BlockHandle[]): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    for (const block of blocks) {
      await handle.write(UNPARSEABLE_SNAPPY, 0, Math.min(block.size, UNPARSEABLE_SNAPPY.length), block.offset);
      await handle.write(Buffer.from([SNAPPY]), 0, 1, block.offset + block.size);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function checkTable(file: string): Promise<TableDamage | undefined> {
  const bytes = await readFile(file);
  let layout;
  try {
    layout = readTableLayout(bytes);
  } catch (error) {
    if (!(error instanceof TableStructureError || error instanceof RangeError)) throw error;
    return { file, damagedBlocks: 0, unreadable: error.message };
  }
  const damaged = layout.dataBlocks.filter((block) => !blockChecksumMatches(bytes, block));
  const properties = layout.metaBlocks.get('rocksdb.properties');
  const unreadable =
    properties && !blockChecksumMatches(bytes, properties) ? 'its properties block is damaged' : undefined;
  if (damaged.length === 0 && !unreadable) return undefined;
  await refuseBlocks(file, damaged);
  return { file, damagedBlocks: damaged.length, ...(unreadable && { unreadable }) };
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
