// The alert chart's 24 hourly slots: every hour has its slot, so a quiet hour shows as a gap
// rather than the chart stretching the busy ones across its width.
import { ALERT_LEVELS } from '../../../common/enums.ts';
import type { AlertStatisticsRow as StatisticsRow } from '../../../main/db/repositories/alert-history-repository.ts';

const HOUR_MS = 3_600_000;

/** The 24 hours up to `now`, oldest first, each with its count per level (0 when none). */
export function hourlySlots(rows: readonly StatisticsRow[], now: number): Array<Record<string, number>> {
  const last = Math.floor(now / HOUR_MS) * HOUR_MS;
  const slots = new Map<number, Record<string, number>>();
  for (let hour = last - 23 * HOUR_MS; hour <= last; hour += HOUR_MS) {
    slots.set(hour, { hour, ...Object.fromEntries(ALERT_LEVELS.map((level) => [level, 0])) });
  }
  for (const row of rows) {
    const slot = slots.get(Math.floor(new Date(row.hour).getTime() / HOUR_MS) * HOUR_MS);
    if (slot) slot[row.level] = (slot[row.level] ?? 0) + row.alertCount;
  }
  return [...slots.values()];
}
