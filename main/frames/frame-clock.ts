// Frame timestamps: nanoseconds since the Unix epoch. They follow the wall clock (so a clock that
// is corrected while the app runs is followed at once), take the sub-millisecond part from the
// monotonic clock, and never go backwards: after a backward step of the wall clock they advance
// by 1 ns per frame until it catches up, because retention searches frames by time in sequence
// order.
const clock = { last: 0n };

export function nowNs(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  clock.last = now > clock.last ? now : clock.last + 1n;
  return clock.last;
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
