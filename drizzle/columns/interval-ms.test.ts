import { describe, expect, it } from 'vitest';
import { parsePostgresInterval } from './interval-ms.ts';

describe('parsePostgresInterval', () => {
  it.each([
    ['00:01:00', 60_000],
    ['00:05:00', 300_000],
    ['00:00:00.25', 250],
    ['1 day', 86_400_000],
    ['2 days 01:00:00', 2 * 86_400_000 + 3_600_000],
    ['-00:00:01', -1000],
    ['1 mon 1 day', 31 * 86_400_000],
    ['1 year', 365 * 86_400_000],
    ['25:00:00', 25 * 3_600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parsePostgresInterval(text)).toBe(ms);
  });

  it('refuses text it does not understand', () => {
    expect(() => parsePostgresInterval('P1D')).toThrow(/Unrecognised PostgreSQL interval "P1D"/);
  });
});
