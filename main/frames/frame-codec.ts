// Frame ⇄ stored bytes. The stored value is the encoded FrameEnvelope whose `data` is the encoded
// payload message. Decoding verifies the checksum and the payload, so a damaged entry surfaces
// as a CorruptFrameError (which the WAL skips and counts), never as a frame with wrong content.
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { CommandAckFrame, CommandFrame, DataFrame, EventFrame, HeartbeatFrame } from '../../proto/generated/frame.ts';
import { CorruptFrameError } from './corrupt-frame-error.ts';
import { frameChecksum } from './frame-checksum.ts';
import { decodeDataFramePayload, decodeUtf8 } from './data-frame-decoder.ts';
import { encodeEnvelopeView, envelopeHeader, plainView, readEnvelope } from './frame-envelope.ts';
import { type Frame, type FrameBody, type FrameTypeName, frameTypeName, wireFrameType } from './frame.ts';

export { CorruptFrameError };

interface PayloadCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
}

type PayloadOf<K extends FrameTypeName> = Extract<FrameBody, { type: K }>['payload'];

const payloadCodecs: { [K in FrameTypeName]: PayloadCodec<PayloadOf<K>> } = {
  data: DataFrame,
  command: CommandFrame,
  commandAck: CommandAckFrame,
  event: EventFrame,
  heartbeat: HeartbeatFrame,
};

// One writer, reused: encoding is synchronous. We read its bytes through a view instead of
// finish(), which copies into a new ArrayBuffer (~0.9 µs on Node 20, more than the encoding).
// `buffer` and `pos` are private in the type declarations of @bufbuild/protobuf 2; the check
// below falls back to finish() should a later version rename them.
const payloadWriter = new BinaryWriter();
interface WriterInternals {
  buffer: Uint8Array;
  pos: number;
}
const internals = payloadWriter as unknown as WriterInternals;
const writerViewWorks = (() => {
  payloadWriter.uint32(300);
  const ok = internals.buffer instanceof Uint8Array && internals.pos === 2;
  payloadWriter.finish();
  return ok;
})();

function payloadView(body: FrameBody): Uint8Array {
  const codec = payloadCodecs[body.type] as PayloadCodec<FrameBody['payload']>;
  codec.encode(body.payload, payloadWriter);
  if (!writerViewWorks) return payloadWriter.finish();
  const view = internals.buffer.subarray(0, internals.pos);
  internals.pos = 0;
  return view;
}

/**
 * The stored bytes of a frame, as a view into a shared scratch buffer that the next call
 * overwrites: hand it to something that copies (a RocksDB batch put) or copy it.
 */
export function encodeFrameView(frame: Frame): Buffer {
  const data = payloadView(frame);
  const frameType = wireFrameType(frame.type);
  const checksum = frameChecksum(frame.sequenceId, frame.timestamp, frameType, data);
  return encodeEnvelopeView({ sequenceId: frame.sequenceId, timestamp: frame.timestamp, frameType, data, checksum });
}

/** The stored bytes of a frame, in a buffer of their own. */
export function encodeFrame(frame: Frame): Buffer {
  return Buffer.from(encodeFrameView(frame));
}

/** The envelope being decoded: decoding is synchronous, so one header serves every call. */
const header = envelopeHeader();

/**
 * Decodes and verifies one stored frame (in bytes[start, end), all of `bytes` by default); throws
 * CorruptFrameError naming what is wrong. With `wanted`, a frame of another type is returned as
 * undefined without verifying or decoding its payload (a durable consumer that takes only data
 * frames skips the rest cheaply).
 */
export function decodeFrame(bytes: Uint8Array): Frame;
export function decodeFrame(
  bytes: Uint8Array,
  wanted: ReadonlySet<FrameTypeName> | undefined,
  start?: number,
  end?: number,
): Frame | undefined;
export function decodeFrame(
  bytes: Uint8Array,
  wanted?: ReadonlySet<FrameTypeName>,
  start = 0,
  end = bytes.length,
): Frame | undefined {
  const { sequenceId, timestamp, frameType, dataStart, dataEnd, checksum } = readEnvelope(bytes, start, end, header);
  const type = frameTypeName(frameType);
  if (type !== undefined && wanted !== undefined && !wanted.has(type)) return undefined;
  const expected = frameChecksum(sequenceId, timestamp, frameType, bytes, dataStart, dataEnd);
  if (expected !== checksum) {
    throw new CorruptFrameError(
      `checksum mismatch (stored ${checksum.toString(16)}, computed ${expected.toString(16)})`,
    );
  }
  if (type === undefined) throw new CorruptFrameError(`unknown frame type ${frameType}`);
  let payload: FrameBody['payload'] | undefined;
  if (type === 'data') {
    try {
      payload = decodeDataFramePayload(bytes, dataStart, dataEnd);
    } catch {
      // damaged or unusual: the generated decoder below has the last word
    }
  }
  try {
    payload ??= (payloadCodecs[type] as PayloadCodec<FrameBody['payload']>).decode(
      new BinaryReader(plainView(bytes, dataStart, dataEnd), (view) => decodeUtf8(view)),
    );
  } catch (error) {
    throw new CorruptFrameError(`the ${type} payload is not valid protobuf (${(error as Error).message})`);
  }
  return { type, payload, sequenceId, timestamp } as Frame;
}
