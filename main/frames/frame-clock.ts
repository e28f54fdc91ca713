// Frame timestamps: nanoseconds since the Unix epoch. They follow the wall clock (so a clock that
// is corrected while the app runs is followed at once), take the sub-millisecond part from the
// monotonic clock, and never go backwards: after a backward step of the wall clock they advance
// by 1 ns per frame until it catches up, because retention searches frames by time in sequence
// order.
const clock = { last: 0n, ms: -1, msNs: 0n };

// Called for every frame the bus publishes: the millisecond is converted to a bigint once per
// millisecond, and the sub-millisecond part is taken as a plain number (two bigints per call).
export function nowNs(): bigint {
  const ms = Date.now();
  if (ms !== clock.ms) {
    clock.ms = ms;
    clock.msNs = BigInt(ms) * 1_000_000n;
  }
  const now = clock.msNs + BigInt(Math.floor((performance.now() % 1) * 1_000_000));
  clock.last = now > clock.last ? now : clock.last + 1n;
  return clock.last;
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
