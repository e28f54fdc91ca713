// DataFrame payloads read by hand: the hot path of a WAL replay (almost every stored frame is a
// DataFrame). The generated decoder builds a BinaryReader with its own DataView per frame and
// assembles short strings char by char; this reads the same wire format straight from the bytes
// (measured: about half the CPU time per payload). It handles the layout our encoder writes: the
// eight known fields with their declared wire types, in any order. Anything else (an unknown
// field from a newer writer, a negative enum, a damaged length) returns undefined, and the
// caller decodes with the generated code, whose answer (a message or an error) then stands;
// data-frame-decoder.test.ts checks that both give equal results.
import type { DataFrame, Value } from '../../proto/generated/frame.ts';
import { plainView, readVarint, varint } from './frame-envelope.ts';

const int64View = new DataView(new ArrayBuffer(8));
const int64Bytes = new Uint8Array(int64View.buffer);

const utf8Slice = (Buffer.prototype as { utf8Slice?: (start: number, end: number) => string }).utf8Slice;
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Node's own UTF-8 decoder (invalid sequences become U+FFFD, as in the generated decoder). */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return utf8Slice ? utf8Slice.call(bytes, start, end) : textDecoder.decode(bytes.subarray(start, end));
}

/** Reads the 8 little-endian bytes at `pos` as a double. */
function readDouble(bytes: Uint8Array, pos: number): number {
  for (let i = 0; i < 8; i++) int64Bytes[i] = bytes[pos + i]!;
  return int64View.getFloat64(0, true);
}

function uint64FromVarint(): bigint {
  int64View.setUint32(0, varint.lo, true);
  int64View.setUint32(4, varint.hi, true);
  return int64View.getBigUint64(0, true);
}

function sint64FromVarint(): bigint {
  // zigzag on the two halves: (n >>> 1) ^ -(n & 1)
  const mask = -(varint.lo & 1);
  int64View.setInt32(0, ((varint.lo >>> 1) | (varint.hi << 31)) ^ mask, true);
  int64View.setInt32(4, (varint.hi >>> 1) ^ mask, true);
  return int64View.getBigInt64(0, true);
}

/** A length-delimited field's [start, end) after its length varint, or -1 past `end`. */
function lengthDelimited(bytes: Uint8Array, pos: number, end: number): number {
  readVarint(bytes, pos, end);
  if (varint.hi !== 0 || varint.pos + varint.lo > end) return -1;
  return varint.pos + varint.lo;
}

function decodeValue(bytes: Uint8Array, pos: number, end: number): Value | undefined {
  const value: Value = { kind: undefined };
  while (pos < end) {
    const tag = bytes[pos++]!;
    switch (tag) {
      case 8: // bool_value
        readVarint(bytes, pos, end);
        value.kind = { $case: 'boolValue', value: varint.lo !== 0 || varint.hi !== 0 };
        pos = varint.pos;
        break;
      case 16: // int_value (sint64)
        readVarint(bytes, pos, end);
        value.kind = { $case: 'intValue', value: sint64FromVarint() };
        pos = varint.pos;
        break;
      case 24: // uint_value
        readVarint(bytes, pos, end);
        value.kind = { $case: 'uintValue', value: uint64FromVarint() };
        pos = varint.pos;
        break;
      case 33: // double_value
        if (pos + 8 > end) return undefined;
        value.kind = { $case: 'doubleValue', value: readDouble(bytes, pos) };
        pos += 8;
        break;
      case 42: {
        // string_value
        const stop = lengthDelimited(bytes, pos, end);
        if (stop < 0) return undefined;
        value.kind = { $case: 'stringValue', value: decodeUtf8(bytes, varint.pos, stop) };
        pos = stop;
        break;
      }
      case 50: {
        // bytes_value: a plain view into the payload, as the generated decoder returns
        const stop = lengthDelimited(bytes, pos, end);
        if (stop < 0) return undefined;
        value.kind = { $case: 'bytesValue', value: plainView(bytes, varint.pos, stop) };
        pos = stop;
        break;
      }
      case 56: // timestamp_value
        readVarint(bytes, pos, end);
        value.kind = { $case: 'timestampValue', value: uint64FromVarint() };
        pos = varint.pos;
        break;
      default:
        return undefined;
    }
  }
  return pos === end ? value : undefined;
}

/** A 32-bit varint field, or -1 when it does not fit in 32 bits (the generated decoder decides). */
function uint32At(bytes: Uint8Array, pos: number, end: number): number {
  readVarint(bytes, pos, end);
  return varint.hi === 0 ? varint.lo : -1;
}

/**
 * The DataFrame in bytes[start, end) (all of `bytes` by default: the WAL reads payloads in place,
 * inside a block), or undefined when they hold anything this fast path does not handle. May
 * throw on damaged bytes; the caller then decodes with the generated code too.
 */
export function decodeDataFramePayload(bytes: Uint8Array, start = 0, end = bytes.length): DataFrame | undefined {
  const message: DataFrame = {
    tagId: '',
    deviceId: '',
    value: undefined,
    rawValue: 0,
    sourceTimestamp: 0n,
    quality: 0,
    qualityReason: 0,
    errorCode: 0,
  };
  let pos = start;
  while (pos < end) {
    const tag = bytes[pos++]!;
    switch (tag) {
      case 10: // tag_id
      case 18: {
        // device_id
        const stop = lengthDelimited(bytes, pos, end);
        if (stop < 0) return undefined;
        const text = decodeUtf8(bytes, varint.pos, stop);
        if (tag === 10) message.tagId = text;
        else message.deviceId = text;
        pos = stop;
        break;
      }
      case 26: {
        // value
        const stop = lengthDelimited(bytes, pos, end);
        if (stop < 0) return undefined;
        const value = decodeValue(bytes, varint.pos, stop);
        if (value === undefined) return undefined;
        message.value = value;
        pos = stop;
        break;
      }
      case 33: // raw_value
        if (pos + 8 > end) return undefined;
        message.rawValue = readDouble(bytes, pos);
        pos += 8;
        break;
      case 40: // source_timestamp
        readVarint(bytes, pos, end);
        message.sourceTimestamp = uint64FromVarint();
        pos = varint.pos;
        break;
      case 48: // quality
      case 56: {
        // quality_reason: enums, non-negative as we write them
        const number = uint32At(bytes, pos, end);
        if (number < 0 || number > 0x7fff_ffff) return undefined;
        if (tag === 48) message.quality = number;
        else message.qualityReason = number;
        pos = varint.pos;
        break;
      }
      case 64: {
        // error_code
        const number = uint32At(bytes, pos, end);
        if (number < 0) return undefined;
        message.errorCode = number;
        pos = varint.pos;
        break;
      }
      default:
        return undefined;
    }
  }
  return message;
}
