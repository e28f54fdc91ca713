// Frame timestamps: nanoseconds since the Unix epoch, from the wall clock at start plus the
// monotonic clock since, so that timestamps never go backwards within a process (an NTP step
// would otherwise reorder frames in time and confuse retention's time search).
const wallAtStartNs = BigInt(Date.now()) * 1_000_000n;
const monotonicAtStart = process.hrtime.bigint();

export function nowNs(): bigint {
  return wallAtStartNs + (process.hrtime.bigint() - monotonicAtStart);
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
