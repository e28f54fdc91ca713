// How an MQTT tag's address maps a message to a value:
//   <topic filter>|<value path>|<timestamp path>
// e.g. "plant/line1/telemetry|temperature.value|ts", "sensors/+/state|readings[0]", or just a
// topic for a plain number or text payload ("plant/line1/speed"). Paths are dot paths into the
// JSON payload, with [n] for array elements; a leading "$." is allowed. Filters may use the MQTT
// wildcards + and #.
export interface TopicMapping {
  filter: string;
  /** undefined: the payload itself is the value */
  valuePath: Array<string | number> | undefined;
  timestampPath: Array<string | number> | undefined;
}

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

export function parsePath(text: string): Array<string | number> {
  const trimmed = text.trim().replace(/^\$\.?/, '');
  if (trimmed === '') throw new MappingError('the JSON path is empty');
  const parts: Array<string | number> = [];
  for (const segment of trimmed.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match || (match[1] === '' && match[2] === '')) throw new MappingError(`"${text}" is not a path like a.b[0].c`);
    if (match[1]) parts.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

export function validTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.length > 65_535 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every(
    (level, i) =>
      (level === '#' && i === levels.length - 1) || level === '+' || (!level.includes('+') && !level.includes('#')),
  );
}

export function parseTopicMapping(address: string): TopicMapping {
  const [filter = '', valuePath, timestampPath, ...rest] = address.split('|');
  if (rest.length > 0) throw new MappingError('use topic|valuePath|timestampPath (at most two "|")');
  if (!validTopicFilter(filter.trim())) {
    throw new MappingError(`"${filter}" is not a topic filter (+ and # only as whole levels, # last)`);
  }
  return {
    filter: filter.trim(),
    valuePath: valuePath === undefined || valuePath.trim() === '' ? undefined : parsePath(valuePath),
    timestampPath: timestampPath === undefined || timestampPath.trim() === '' ? undefined : parsePath(timestampPath),
  };
}

/** Whether a concrete topic matches a filter with + and # wildcards. */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return !(i === 0 && topic.startsWith('$'));
    if (i >= t.length) return false;
    if (f[i] === '+') {
      if (i === 0 && topic.startsWith('$')) return false;
      continue;
    }
    if (f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export function valueAt(document: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = document;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A payload timestamp: epoch seconds, ms, µs or ns (by magnitude), or an ISO 8601 text → ns. */
export function timestampNs(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return BigInt(Math.round(value * 1000)) * 1_000_000n;
    if (value < 1e14) return BigInt(Math.round(value)) * 1_000_000n;
    if (value < 1e17) return BigInt(Math.round(value)) * 1000n;
    return BigInt(Math.round(value));
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : BigInt(ms) * 1_000_000n;
  }
  return undefined;
}
