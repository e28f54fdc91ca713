// PostgreSQL INTERVAL columns exposed to TypeScript as milliseconds. The database keeps the
// seed's INTERVAL type (so its SQL functions and views work unchanged); the application never
// has to parse "1 day 02:00:00" itself.
import { customType } from 'drizzle-orm/pg-core';

const UNIT_MS: Record<string, number> = {
  year: 365 * 86_400_000,
  mon: 30 * 86_400_000,
  day: 86_400_000,
};

/** Parses PostgreSQL's default (IntervalStyle=postgres) interval text output into milliseconds. */
export function parsePostgresInterval(text: string): number {
  let ms = 0;
  let rest = text.trim();
  const unitPattern = /(-?\d+)\s+(year|mon|day)s?/g;
  for (const match of rest.matchAll(unitPattern)) {
    ms += Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0);
  }
  rest = rest.replace(unitPattern, '').trim();
  const clock = /^(-)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(rest);
  if (clock) {
    const sign = clock[1] ? -1 : 1;
    ms += sign * (Number(clock[2]) * 3_600_000 + Number(clock[3]) * 60_000 + Math.round(Number(clock[4]) * 1000));
  } else if (rest.length > 0) {
    throw new Error(`Unrecognised PostgreSQL interval "${text}"`);
  }
  return ms;
}

export const intervalMs = customType<{ data: number; driverData: string }>({
  dataType() {
    return 'interval';
  },
  toDriver(value: number): string {
    return `${Math.round(value)} milliseconds`;
  },
  fromDriver(value: unknown): number {
    return parsePostgresInterval(String(value));
  },
});
