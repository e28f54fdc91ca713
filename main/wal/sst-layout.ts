// The block layout of a RocksDB block-based table file (.sst), as the binding writes them
// (RocksDB 6.17: table/format.h, block_builder.cc, index_builder.cc; format_version 4 with
// index_block_restart_interval 1, so every index entry holds a full block handle; index blocks
// Snappy-compressed like data blocks). The footer, at the end, points at the metaindex block
// (which names the meta blocks: filter, properties) and at the index block (which points at
// every data block). Each block is followed by a 5-byte trailer: its compression type, then a
// masked CRC-32C of the block and that type byte.
import CRC32C from 'crc-32/crc32c.js';
import { uncompress } from 'snappyjs';

export const BLOCK_TRAILER_SIZE = 5;
/** checksum type (1), two block handles padded to 40, format version (4), magic number (8) */
export const FOOTER_SIZE = 53;
/** The footer's checksum type and block handles, before its format version and magic number. */
export const FOOTER_HANDLES_SIZE = 41;
/** kBlockBasedTableMagicNumber, little-endian halves */
const MAGIC_LO = 0x85f4cff7;
const MAGIC_HI = 0x88e241b7;
const CHECKSUM_CRC32C = 1;
const NO_COMPRESSION = 0;
const SNAPPY = 1;

export interface BlockHandle {
  offset: number;
  /** without the trailer, which starts at offset + size */
  size: number;
}

export interface TableLayout {
  metaindex: BlockHandle;
  index: BlockHandle;
  /** in file (and key) order */
  dataBlocks: BlockHandle[];
  /** meta blocks by their metaindex name: rocksdb.properties, fullfilter.…, … */
  metaBlocks: Map<string, BlockHandle>;
}

/** A part of the table that RocksDB needs before it can read any block: footer, metaindex, index. */
export class TableStructureError extends Error {
  override readonly name = 'TableStructureError';
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  varint(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= this.end || shift > 63) throw new TableStructureError('a varint runs past its block');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
    }
  }

  skip(count: number): void {
    if (this.pos + count > this.end) throw new TableStructureError('an entry runs past its block');
    this.pos += count;
  }

  handle(fileSize: number): BlockHandle {
    const handle = { offset: this.varint(), size: this.varint() };
    if (handle.offset + handle.size + BLOCK_TRAILER_SIZE > fileSize) {
      throw new TableStructureError(`a block handle points past the end of the file (${handle.offset})`);
    }
    return handle;
  }
}

/** True when the block's stored checksum matches its bytes and compression type. */
export function blockChecksumMatches(bytes: Buffer, handle: BlockHandle): boolean {
  const end = handle.offset + handle.size;
  const crc = CRC32C.buf(bytes.subarray(handle.offset, end + 1)) >>> 0;
  // RocksDB masks stored CRCs (util/crc32c.h): rotated right by 15 bits, plus a constant
  const masked = (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
  return bytes.readUInt32LE(end + 1) === masked;
}

/** A verified block's contents, uncompressed. */
function verifiedBlock(bytes: Buffer, handle: BlockHandle, name: string): Buffer {
  if (!blockChecksumMatches(bytes, handle)) throw new TableStructureError(`its ${name} block is damaged`);
  const raw = bytes.subarray(handle.offset, handle.offset + handle.size);
  const type = bytes[handle.offset + handle.size];
  if (type === NO_COMPRESSION) return raw;
  if (type === SNAPPY) {
    // only a block whose checksum matched gets here; a bad stream is still the table's damage
    try {
      const block = uncompress(raw);
      return Buffer.from(block.buffer, block.byteOffset, block.byteLength);
    } catch (error) {
      throw new TableStructureError(`its ${name} block cannot be decompressed: ${(error as Error).message}`);
    }
  }
  throw new TableStructureError(`its ${name} block has compression type ${type}, which is not read here`);
}

/**
 * The entries of a metaindex or index block, which RocksDB builds with a restart point at every
 * entry: no key shares a prefix with the one before. Index entries hold no value length (value
 * delta encoding): their value, a block handle, is read by `entry` from where the key ends.
 */
function forEachEntry(
  block: Buffer,
  withValueLength: boolean,
  entry: (keyStart: number, keyEnd: number, value: Reader) => void,
): void {
  if (block.length < 4) throw new TableStructureError('a block is too short for its restart array');
  const end = block.length - 4 - 4 * block.readUInt32LE(block.length - 4);
  if (end < 0) throw new TableStructureError('a block is too short for its restart array');
  const reader = new Reader(block, 0, end);
  while (reader.pos < end) {
    if (reader.varint() !== 0) throw new TableStructureError('an index entry shares a key prefix');
    const keyLength = reader.varint();
    const valueLength = withValueLength ? reader.varint() : 0;
    const keyStart = reader.pos;
    reader.skip(keyLength);
    const valueStart = reader.pos;
    entry(keyStart, reader.pos, reader);
    if (withValueLength) reader.pos = valueStart + valueLength;
  }
}

/** Reads the footer, metaindex and index of a whole table file, verifying their checksums. */
export function readTableLayout(bytes: Buffer): TableLayout {
  const size = bytes.length;
  if (size < FOOTER_SIZE || bytes.readUInt32LE(size - 8) !== MAGIC_LO || bytes.readUInt32LE(size - 4) !== MAGIC_HI) {
    throw new TableStructureError('its footer is damaged (no table magic number)');
  }
  const footer = new Reader(bytes, size - FOOTER_SIZE, size - 12);
  if (footer.varint() !== CHECKSUM_CRC32C) {
    throw new TableStructureError('its footer names a checksum other than CRC-32C, which the binding never writes');
  }
  const metaindex = footer.handle(size);
  const index = footer.handle(size);
  const metaBlocks = new Map<string, BlockHandle>();
  const metaindexBlock = verifiedBlock(bytes, metaindex, 'metaindex');
  forEachEntry(metaindexBlock, true, (keyStart, keyEnd, value) =>
    metaBlocks.set(metaindexBlock.toString('latin1', keyStart, keyEnd), value.handle(size)),
  );
  const dataBlocks: BlockHandle[] = [];
  forEachEntry(verifiedBlock(bytes, index, 'index'), false, (_keyStart, _keyEnd, value) =>
    dataBlocks.push(value.handle(size)),
  );
  return { metaindex, index, dataBlocks, metaBlocks };
}
