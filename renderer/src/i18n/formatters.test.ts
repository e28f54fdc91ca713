import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRecentTime } from './formatters.ts';

describe('formatRecentTime', () => {
  const now = new Date(2026, 10, 26, 8, 40, 0);

  it('shows a value from today as its time of day only', () => {
    const earlier = new Date(2026, 10, 26, 8, 31, 5);
    const text = formatRecentTime(earlier, now);
    expect(text).toBe(new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(earlier));
    expect(text).not.toContain('26');
  });

  it('shows an older value with its date', () => {
    const yesterday = new Date(2026, 10, 25, 23, 59, 59);
    expect(formatRecentTime(yesterday, now)).toBe(formatDateTime(yesterday));
  });
});
