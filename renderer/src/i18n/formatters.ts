// Dates and numbers in the user's language (zh-CN: 2025/1/2 13:04:05, 1,234.5).
import i18n from 'i18next';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  let format = dateTimeFormats.get(i18n.language);
  if (!format) {
    format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
    dateTimeFormats.set(i18n.language, format);
  }
  return format.format(date);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A value from today as its time of day ("8:31:05 AM"); an older one as the full date-time. */
export function formatRecentTime(value: Date, now = new Date()): string {
  if (value.toDateString() !== now.toDateString()) return formatDateTime(value);
  let format = timeFormats.get(i18n.language);
  if (!format) {
    format = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' });
    timeFormats.set(i18n.language, format);
  }
  return format.format(value);
}

export function formatNumber(value: number | null | undefined, maximumFractionDigits = 3): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(i18n.language, { maximumFractionDigits }).format(value);
}

/** "3 minutes ago", "in 2 hours" */
export function formatRelative(value: Date | null | undefined, now = Date.now()): string {
  if (!value) return '—';
  const seconds = Math.round((value.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}
