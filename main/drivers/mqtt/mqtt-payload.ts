// One MQTT message → the readings of the tags mapped to its topic: the JSON payload is parsed
// once per message, each tag takes its path (or the whole payload when it has none), and a
// timestamp from the payload when the tag names a path for one. A payload that cannot give a
// tag its value makes that tag Bad (DECODE_ERROR) with the reason; nothing throws.
import { TAG_DATA_TYPES, type TagDataType } from '../../../common/enums.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import type { DriverTag, DriverValue, TagReading } from '../driver-contract.ts';
import { timestampNs, valueAt, type TopicMapping } from './mqtt-topic-mapping.ts';

export interface MappedTag {
  tag: DriverTag;
  mapping: TopicMapping;
}

/** Every type but these takes a number (DateTime as epoch milliseconds). */
const NUMERIC_TYPES: ReadonlySet<TagDataType> = new Set(
  TAG_DATA_TYPES.filter((type) => !['Boolean', 'String', 'ByteArray'].includes(type)),
);

function coerce(dataType: TagDataType, value: unknown): DriverValue | string {
  if (typeof value === 'number' && NUMERIC_TYPES.has(dataType) && Number.isFinite(value)) return value;
  if (dataType === 'String') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return errorText('text', value);
  }
  if (dataType === 'Boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase();
      if (['true', '1', 'on'].includes(text)) return true;
      if (['false', '0', 'off'].includes(text)) return false;
    }
    return errorText('true/false', value);
  }
  if (NUMERIC_TYPES.has(dataType)) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    return errorText('a number', value);
  }
  return errorText(dataType, value);
}

class CoerceProblem {
  constructor(readonly message: string) {}
}

function errorText(expected: string, value: unknown): never {
  const shown = value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 60) ?? String(value));
  throw new CoerceProblem(`expected ${expected}, got ${shown}`);
}

function bad(tag: DriverTag, message: string): TagReading {
  return {
    tagId: tag.id,
    ok: false,
    quality: Quality.QUALITY_BAD,
    reason: QualityReason.QUALITY_REASON_DECODE_ERROR,
    errorCode: 0,
    message: `tag '${tag.name}': ${message}`,
  };
}

/** The payload as JSON, parsed at most once per message (and not at all for plain payloads). */
class ParsedPayload {
  private done = false;
  document: unknown;
  problem: string | undefined;

  constructor(
    private readonly topic: string,
    private readonly payload: Buffer,
  ) {}

  /** the document, or why the payload is not one */
  get(): this {
    if (!this.done) {
      this.done = true;
      try {
        this.document = JSON.parse(this.payload.toString('utf8'));
      } catch (error) {
        this.problem = `the payload on '${this.topic}' is not JSON (${(error as Error).message})`;
      }
    }
    return this;
  }
}

// The hot path of the southbound driver (one call per message): no closures or spreads per
// message, the JSON parsed once whatever the number of tags.
export function readingsOf(topic: string, payload: Buffer, tags: readonly MappedTag[]): TagReading[] {
  const parsed = new ParsedPayload(topic, payload);
  const readings: TagReading[] = [];
  for (const { tag, mapping } of tags) {
    try {
      if (mapping.valuePath) {
        const { document, problem } = parsed.get();
        if (problem !== undefined) {
          readings.push(bad(tag, problem));
          continue;
        }
        const found = valueAt(document, mapping.valuePath);
        if (found === undefined) {
          readings.push(bad(tag, `the payload on '${topic}' has nothing at ${mapping.valuePath.join('.')}`));
          continue;
        }
        const raw = coerce(tag.dataType, found) as DriverValue;
        const stamp = mapping.timestampPath ? timestampNs(valueAt(document, mapping.timestampPath)) : undefined;
        readings.push(
          stamp === undefined
            ? { tagId: tag.id, ok: true, raw }
            : { tagId: tag.id, ok: true, raw, sourceTimestampNs: stamp },
        );
      } else if (tag.dataType === 'ByteArray') {
        readings.push({ tagId: tag.id, ok: true, raw: new Uint8Array(payload) });
      } else {
        readings.push({
          tagId: tag.id,
          ok: true,
          raw: coerce(tag.dataType, payload.toString('utf8').trim()) as DriverValue,
        });
      }
    } catch (error) {
      if (!(error instanceof CoerceProblem)) throw error;
      readings.push(bad(tag, `${error.message} on '${topic}'`));
    }
  }
  return readings;
}
