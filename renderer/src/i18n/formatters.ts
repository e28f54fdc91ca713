// Dates and numbers in the user's language (zh-CN: 2025/1/2 13:04:05, 1,234.5). Intl formatters
// are costly to create (tens of microseconds each) and a live grid formats thousands of values a
// second: each one is made once per language and options, and kept.
import i18n from 'i18next';

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  create: (language: string) => F,
): F {
  const language = i18n.language;
  const id = `${language}|${key}`;
  let format = formats.get(id) as F | undefined;
  if (!format) formats.set(id, (format = create(language)));
  return format;
}

const dateTimeFormat = () =>
  cached('dateTime', (language) => new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }));

export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return dateTimeFormat().format(typeof value === 'string' ? new Date(value) : value);
}

/** A value from today as its time of day ("8:31:05 AM"); an older one as the full date-time. */
export function formatRecentTime(value: Date, now = new Date()): string {
  const sameDay =
    value.getDate() === now.getDate() &&
    value.getMonth() === now.getMonth() &&
    value.getFullYear() === now.getFullYear();
  if (!sameDay) return formatDateTime(value);
  return cached('time', (language) => new Intl.DateTimeFormat(language, { timeStyle: 'medium' })).format(value);
}

export function formatNumber(value: number | null | undefined, maximumFractionDigits = 3): string {
  if (value === null || value === undefined) return '—';
  return cached(
    `number${maximumFractionDigits}`,
    (language) => new Intl.NumberFormat(language, { maximumFractionDigits }),
  ).format(value);
}

/** "3 minutes ago", "in 2 hours" */
export function formatRelative(value: Date | null | undefined, now = Date.now()): string {
  if (!value) return '—';
  const seconds = Math.round((value.getTime() - now) / 1000);
  const format = cached('relative', (language) => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }));
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}
