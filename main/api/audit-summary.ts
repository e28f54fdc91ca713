// What of a call's input goes into its audit row: enough to tell what was asked, never a
// secret, and bounded in size (an import's file content is summarised, not copied). The text is
// cleaned of what PostgreSQL's jsonb refuses (NUL, lone surrogates), so that odd input cannot
// cost the audit row.
import { UNSTORABLE_TEXT } from './api-schemas.ts';

const SECRET_KEY = /password|token|secret|setupcode/i;
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

const UNSTORABLE_ALL = new RegExp(UNSTORABLE_TEXT.source, 'gu');
const clean = (text: string): string => text.replace(UNSTORABLE_ALL, '\uFFFD');

export function summariseForAudit(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    return value.length > MAX_STRING ? `[${value.length} characters]` : clean(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summariseForAudit(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS);
    return Object.fromEntries(
      entries.map(([key, item]) => [clean(key), SECRET_KEY.test(key) ? '***' : summariseForAudit(item, depth + 1)]),
    );
  }
  return `[${typeof value}]`;
}
