// A summary of the samples in one time bucket: what trend charts need (min/max envelope, mean)
// and what lets summaries of small buckets combine into bigger ones exactly.

export interface Aggregate {
  min: number;
  max: number;
  first: number;
  last: number;
  sum: number;
  count: number;
}

export function aggregateOf(value: number): Aggregate {
  return { min: value, max: value, first: value, last: value, sum: value, count: 1 };
}

/** Adds a later sample in place. */
export function addSample(into: Aggregate, value: number): void {
  if (value < into.min) into.min = value;
  if (value > into.max) into.max = value;
  into.last = value;
  into.sum += value;
  into.count++;
}

/** Folds a later aggregate into `into`, in place. */
export function addLater(into: Aggregate, later: Aggregate): void {
  if (later.min < into.min) into.min = later.min;
  if (later.max > into.max) into.max = later.max;
  into.last = later.last;
  into.sum += later.sum;
  into.count += later.count;
}

/** `earlier` followed by `later`, as a new aggregate; either may be undefined. */
export function combine(earlier: Aggregate | undefined, later: Aggregate | undefined): Aggregate | undefined {
  if (!earlier) return later && { ...later };
  if (!later) return { ...earlier };
  return {
    min: Math.min(earlier.min, later.min),
    max: Math.max(earlier.max, later.max),
    first: earlier.first,
    last: later.last,
    sum: earlier.sum + later.sum,
    count: earlier.count + later.count,
  };
}

const AGGREGATE_BYTES = 48;

export function encodeAggregate(aggregate: Aggregate, into = Buffer.allocUnsafe(AGGREGATE_BYTES)): Buffer {
  into.writeDoubleLE(aggregate.min, 0);
  into.writeDoubleLE(aggregate.max, 8);
  into.writeDoubleLE(aggregate.first, 16);
  into.writeDoubleLE(aggregate.last, 24);
  into.writeDoubleLE(aggregate.sum, 32);
  into.writeDoubleLE(aggregate.count, 40);
  return into;
}

export function decodeAggregate(bytes: Buffer): Aggregate {
  if (bytes.length !== AGGREGATE_BYTES) throw new Error(`A stored aggregate has ${bytes.length} bytes, not 48`);
  return {
    min: bytes.readDoubleLE(0),
    max: bytes.readDoubleLE(8),
    first: bytes.readDoubleLE(16),
    last: bytes.readDoubleLE(24),
    sum: bytes.readDoubleLE(32),
    count: bytes.readDoubleLE(40),
  };
}
