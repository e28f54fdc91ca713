import { describe, expect, it } from 'vitest';
import { hourlySlots } from './alert-statistics-hours.ts';

const HOUR = 3_600_000;

describe('the 24-hour alert chart', () => {
  it('has a slot for each of the last 24 hours, zero where nothing fired', () => {
    const now = Date.UTC(2026, 10, 26, 7, 42);
    const slots = hourlySlots(
      [
        { hour: new Date(Date.UTC(2026, 10, 26, 7)), level: 'CRITICAL', alertCount: 1 },
        { hour: new Date(Date.UTC(2026, 10, 26, 7)), level: 'FATAL', alertCount: 2 },
        { hour: new Date(Date.UTC(2026, 10, 25, 9)), level: 'INFO', alertCount: 4 },
        // older than the window: not shown
        { hour: new Date(Date.UTC(2026, 10, 25, 7)), level: 'INFO', alertCount: 9 },
      ] as never,
      now,
    );
    expect(slots).toHaveLength(24);
    expect(slots[0]!.hour).toBe(Date.UTC(2026, 10, 25, 8));
    expect(slots[23]).toEqual({ hour: Date.UTC(2026, 10, 26, 7), INFO: 0, WARNING: 0, CRITICAL: 1, FATAL: 2 });
    expect(slots[1]).toMatchObject({ hour: Date.UTC(2026, 10, 25, 9), INFO: 4 });
    expect(slots.reduce((sum, slot) => sum + slot.INFO! + slot.WARNING! + slot.CRITICAL! + slot.FATAL!, 0)).toBe(7);
    expect(slots[5]!.hour! - slots[4]!.hour!).toBe(HOUR);
  });
});
