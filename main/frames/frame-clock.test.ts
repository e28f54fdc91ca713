import { afterEach, describe, expect, it, vi } from 'vitest';
import { nowNs, nsToMs } from './frame-clock.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('frame clock', () => {
  it('follows the wall clock in nanoseconds', () => {
    const before = Date.now();
    const ms = nsToMs(nowNs());
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('never goes backwards, also when the wall clock is set back', () => {
    const first = nowNs();
    vi.spyOn(Date, 'now').mockReturnValue(nsToMs(first) - 3_600_000);
    const a = nowNs();
    const b = nowNs();
    expect(a).toBeGreaterThan(first);
    expect(b).toBeGreaterThan(a);
    expect(b - first).toBeLessThan(1000n);
  });
});
