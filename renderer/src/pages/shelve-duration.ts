// How long an alert may be shelved (the API's limits: one minute to seven days), the preset
// durations offered and the custom amount a user types.

export const MIN_SHELVE_MS = 60_000;
export const MAX_SHELVE_MS = 7 * 24 * 3_600_000;

export const SHELVE_UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type ShelveUnit = keyof typeof SHELVE_UNITS;

/** Presets as an amount and a unit (worded by the UI with plurals). */
export const SHELVE_PRESETS: ReadonlyArray<{ amount: number; unit: ShelveUnit }> = [
  { amount: 1, unit: 'minutes' },
  { amount: 15, unit: 'minutes' },
  { amount: 1, unit: 'hours' },
  { amount: 4, unit: 'hours' },
  { amount: 8, unit: 'hours' },
  { amount: 1, unit: 'days' },
  { amount: 7, unit: 'days' },
];

export type CustomDuration =
  { ok: true; ms: number } | { ok: false; problem: 'not-a-number' | 'too-short' | 'too-long' };

/** A typed amount of `unit` as milliseconds, or why it cannot be used. */
export function customShelveDuration(amount: string, unit: ShelveUnit): CustomDuration {
  const value = Number(amount.trim().replace(',', '.'));
  if (amount.trim() === '' || !Number.isFinite(value)) return { ok: false, problem: 'not-a-number' };
  const ms = Math.round(value * SHELVE_UNITS[unit]);
  if (ms < MIN_SHELVE_MS) return { ok: false, problem: 'too-short' };
  if (ms > MAX_SHELVE_MS) return { ok: false, problem: 'too-long' };
  return { ok: true, ms };
}
