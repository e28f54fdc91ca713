// FrameEnvelope on the wire, written and read by hand. The format is exactly the one ts-proto
// generates from proto/frame.proto (frame-envelope.test.ts checks byte equality both ways); we do
// not call the generated FrameEnvelope codec on the hot path because its finish() allocates a
// fresh ArrayBuffer per frame and its reader builds a DataView per call: measured ~3 µs per
// frame together, against ~0.3 µs here, and the WAL replays a million frames in a few seconds.
import { CorruptFrameError } from './corrupt-frame-error.ts';

export interface EnvelopeFields {
  sequenceId: number;
  timestamp: bigint;
  frameType: number;
  /** A view into the input on decode: copy it if you keep it beyond the input's life. */
  data: Uint8Array;
  checksum: number;
}

const int64View = new DataView(new ArrayBuffer(8));

const TAG_SEQUENCE = 0x08;
const TAG_TIMESTAMP = 0x10;
const TAG_TYPE = 0x18;
const TAG_DATA = 0x22;
const TAG_CHECKSUM = 0x28;

/** The encoder's output buffer, grown when a frame does not fit (an object: no TDZ checks). */
const scratch = { buffer: Buffer.allocUnsafe(4096) };

function writeVarint(buf: Buffer, pos: number, value: number): number {
  // value is a non-negative safe integer; division keeps it exact above 2^32
  while (value >= 0x80) {
    buf[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[pos++] = value;
  return pos;
}

function writeVarint64(buf: Buffer, pos: number, value: bigint): number {
  int64View.setBigUint64(0, value, true); // modulo 2^64, without BigInt arithmetic
  let lo = int64View.getUint32(0, true);
  let hi = int64View.getUint32(4, true);
  while (hi > 0 || lo >= 0x80) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/**
 * Encodes an envelope into a shared scratch buffer and returns a view of it. The view is valid
 * until the next call: a storage batch that copies on put (RocksDB's does) needs nothing more.
 */
export function encodeEnvelopeView(fields: EnvelopeFields): Buffer {
  const { sequenceId, timestamp, frameType, data, checksum } = fields;
  const size = 11 + 11 + 6 + 6 + data.length + 6;
  if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.max(size, scratch.buffer.length * 2));
  const buf = scratch.buffer;
  let pos = 0;
  if (sequenceId !== 0) {
    buf[pos++] = TAG_SEQUENCE;
    pos = writeVarint(buf, pos, sequenceId);
  }
  if (timestamp !== 0n) {
    buf[pos++] = TAG_TIMESTAMP;
    pos = writeVarint64(buf, pos, timestamp);
  }
  if (frameType !== 0) {
    buf[pos++] = TAG_TYPE;
    pos = writeVarint(buf, pos, frameType);
  }
  if (data.length !== 0) {
    buf[pos++] = TAG_DATA;
    pos = writeVarint(buf, pos, data.length);
    buf.set(data, pos);
    pos += data.length;
  }
  if (checksum !== 0) {
    buf[pos++] = TAG_CHECKSUM;
    pos = writeVarint(buf, pos, checksum >>> 0);
  }
  return buf.subarray(0, pos);
}

/** Same bytes as encodeEnvelopeView, in a buffer of their own. */
export function encodeEnvelope(fields: EnvelopeFields): Buffer {
  return Buffer.from(encodeEnvelopeView(fields));
}

/** Where a varint ended and its value, as two 32-bit halves (one object, reused: no allocation). */
export const varint = { pos: 0, lo: 0, hi: 0 };

/** Reads the varint at `pos` into `varint`; throws CorruptFrameError past `end` or beyond 10 bytes. */
export function readVarint(bytes: Uint8Array, pos: number, end: number): void {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= end) throw new CorruptFrameError('the envelope ends inside a number');
    const byte = bytes[pos++]!;
    if (shift < 28) lo |= (byte & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (byte & 0x0f) << 28;
      hi |= (byte & 0x7f) >> 4;
    } else hi |= (byte & 0x7f) << (shift - 32);
    if (byte < 0x80) {
      varint.pos = pos;
      varint.lo = lo >>> 0;
      varint.hi = hi >>> 0;
      return;
    }
  }
  throw new CorruptFrameError('the envelope holds a number longer than 10 bytes');
}

/**
 * An envelope's fields with its payload as a byte range of the input, [dataStart, dataEnd):
 * what readEnvelope fills in, so that the WAL's read path builds no object and no view per frame.
 */
export interface EnvelopeHeader {
  sequenceId: number;
  timestamp: bigint;
  frameType: number;
  dataStart: number;
  dataEnd: number;
  checksum: number;
}

/** A fresh header for readEnvelope to fill in (one per reader, reused frame after frame). */
export function envelopeHeader(): EnvelopeHeader {
  return { sequenceId: 0, timestamp: 0n, frameType: 0, dataStart: 0, dataEnd: 0, checksum: 0 };
}

/**
 * Parses the envelope in bytes[start, end) into `into` and returns it; throws CorruptFrameError
 * on bytes that are not a well-formed envelope. The payload is left in place: its range is
 * [into.dataStart, into.dataEnd) of `bytes`.
 */
export function readEnvelope(bytes: Uint8Array, start: number, end: number, into: EnvelopeHeader): EnvelopeHeader {
  let pos = start;
  let sequenceId = 0;
  let timestamp = 0n;
  let frameType = 0;
  let dataStart = 0;
  let dataEnd = 0;
  let checksum = 0;
  while (pos < end) {
    // single-byte tags are the common case: every known field has one
    let tag = bytes[pos]!;
    if (tag < 0x80) pos++;
    else {
      readVarint(bytes, pos, end);
      if (varint.hi !== 0) throw new CorruptFrameError('the envelope holds an impossible field tag');
      tag = varint.lo;
      pos = varint.pos;
    }
    readVarintOrSkip: {
      switch (tag) {
        case TAG_SEQUENCE:
          readVarint(bytes, pos, end);
          if (varint.hi >= 0x20_0000) throw new CorruptFrameError('the sequence id exceeds 2^53');
          sequenceId = varint.hi * 0x1_0000_0000 + varint.lo;
          break;
        case TAG_TIMESTAMP:
          readVarint(bytes, pos, end);
          // through a DataView: ~4× cheaper than BigInt(hi) << 32n | BigInt(lo)
          int64View.setUint32(0, varint.lo, true);
          int64View.setUint32(4, varint.hi, true);
          timestamp = int64View.getBigUint64(0, true);
          break;
        case TAG_TYPE:
          readVarint(bytes, pos, end);
          if (varint.hi !== 0) throw new CorruptFrameError('the frame type is out of range');
          frameType = varint.lo | 0;
          break;
        case TAG_CHECKSUM:
          readVarint(bytes, pos, end);
          // a 32-bit field: set bits above 32 mean damage (a reader that ignored them would
          // let a flipped bit in the checksum's own encoding through)
          if (varint.hi !== 0) throw new CorruptFrameError('the checksum is out of range');
          checksum = varint.lo;
          break;
        case TAG_DATA: {
          readVarint(bytes, pos, end);
          const length = varint.lo;
          const from = varint.pos;
          if (varint.hi !== 0 || from + length > end) {
            throw new CorruptFrameError('the payload runs past the end of the envelope');
          }
          dataStart = from;
          dataEnd = from + length;
          varint.pos = dataEnd;
          break;
        }
        default:
          break readVarintOrSkip;
      }
      pos = varint.pos;
      continue;
    }
    // An unknown field (from a newer writer): skip it by wire type.
    const wireType = tag & 7;
    if (wireType === 0) {
      readVarint(bytes, pos, end);
      pos = varint.pos;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      readVarint(bytes, pos, end);
      pos = varint.pos + varint.lo;
    } else throw new CorruptFrameError(`the envelope holds an invalid wire type ${wireType}`);
    if (pos > end) throw new CorruptFrameError('a field runs past the end of the envelope');
  }
  into.sequenceId = sequenceId;
  into.timestamp = timestamp;
  into.frameType = frameType;
  into.dataStart = dataStart;
  into.dataEnd = dataEnd;
  into.checksum = checksum;
  return into;
}

/**
 * Parses the envelope in bytes[start, end) (all of `bytes` by default), its payload as a view of
 * the input; throws CorruptFrameError on bytes that are not a well-formed envelope.
 */
export function decodeEnvelope(bytes: Uint8Array, start = 0, end = bytes.length): EnvelopeFields {
  const { sequenceId, timestamp, frameType, dataStart, dataEnd, checksum } = readEnvelope(
    bytes,
    start,
    end,
    envelopeHeader(),
  );
  const data = dataEnd > dataStart ? plainView(bytes, dataStart, dataEnd) : EMPTY;
  return { sequenceId, timestamp, frameType, data, checksum };
}

/**
 * bytes[start, end) as a plain Uint8Array view, as the generated protobuf code hands out bytes:
 * Buffer#subarray would make a Buffer (also measurably slower per frame).
 */
export function plainView(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

const EMPTY = new Uint8Array(0);
