import { describe, expect, it } from 'vitest';
import { customShelveDuration, MAX_SHELVE_MS, MIN_SHELVE_MS, SHELVE_PRESETS, SHELVE_UNITS } from './shelve-duration.ts';

describe('shelving durations', () => {
  it('offers presets from one minute to seven days, all within the limits', () => {
    const presets = SHELVE_PRESETS.map(({ amount, unit }) => amount * SHELVE_UNITS[unit]);
    expect(presets[0]).toBe(MIN_SHELVE_MS);
    expect(presets.at(-1)).toBe(MAX_SHELVE_MS);
    expect([...presets].sort((a, b) => a - b)).toEqual(presets);
  });

  it('turns a custom amount into milliseconds, checked against the limits', () => {
    expect(customShelveDuration('2', 'hours')).toEqual({ ok: true, ms: 7_200_000 });
    expect(customShelveDuration('1,5', 'hours')).toEqual({ ok: true, ms: 5_400_000 });
    expect(customShelveDuration(' 7 ', 'days')).toEqual({ ok: true, ms: MAX_SHELVE_MS });
    expect(customShelveDuration('1', 'minutes')).toEqual({ ok: true, ms: MIN_SHELVE_MS });
    expect(customShelveDuration('0.5', 'minutes')).toEqual({ ok: false, problem: 'too-short' });
    expect(customShelveDuration('169', 'hours')).toEqual({ ok: false, problem: 'too-long' });
    expect(customShelveDuration('', 'hours')).toEqual({ ok: false, problem: 'not-a-number' });
    expect(customShelveDuration('two', 'hours')).toEqual({ ok: false, problem: 'not-a-number' });
  });
});
