// A live value as text in the user's language: numbers grouped and rounded, booleans in words,
// times localized; null (a Bad value without one) as a dash.
import i18n from 'i18next';
import type { TagValue } from '../../../common/live-values-message.ts';
import { formatDateTime, formatNumber } from '../i18n/formatters.ts';

export function liveValueText(value: TagValue | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return i18n.t(value ? 'live.true' : 'live.false');
  if (typeof value === 'number') return formatNumber(value, 3);
  if (typeof value === 'bigint') return value.toLocaleString(i18n.language);
  if (value instanceof Date) return formatDateTime(value);
  return value;
}
