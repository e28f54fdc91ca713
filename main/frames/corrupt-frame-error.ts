/** A stored frame that cannot be trusted: bad checksum, malformed envelope or payload. */
export class CorruptFrameError extends Error {
  override readonly name = 'CorruptFrameError';
}
