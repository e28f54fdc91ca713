// The WAL's key space in its RocksDB database. Frames sort first by their zero-padded sequence;
// the other keys sit in their own prefixes so that range scans never mix them.
import { FRAME_KEY_PREFIX, frameKey } from '../frames/frame-key.ts';

/** [gte, lt) covering every frame key: ';' is the byte after ':'. */
export const FRAME_RANGE = { gte: FRAME_KEY_PREFIX, lt: 'frame;' } as const;

/** The highest sequence id ever committed, written with every batch, so that sequence numbers
 * continue after a restart even when retention has deleted every frame. */
export const LAST_SEQUENCE_KEY = 'meta:last_sequence';

export const CONSUMER_RANGE = { gte: 'consumer:', lt: 'consumer;' } as const;

export function consumerKey(name: string): string {
  return `consumer:${name}`;
}

export function consumerName(key: string): string {
  return key.slice('consumer:'.length);
}

export { frameKey };
