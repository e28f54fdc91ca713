// A raw export as CSV, a chunk of rows at a time: one row per sample with its time in RFC 3339
// with nanoseconds (the stored precision), so spreadsheets and scripts read it as is.
import { stringify } from 'csv-stringify/sync';
import type { RawRow } from './trend-service.ts';

export const RAW_CSV_COLUMNS = ['time', 'device', 'tag', 'unit', 'value', 'raw_value', 'quality', 'error_code'];

const QUALITY = ['GOOD', 'UNCERTAIN', 'BAD'];

export function nsToRfc3339(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2026-01-17T08:00:00.123Z
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

export function rawCsvHeader(): string {
  return stringify([RAW_CSV_COLUMNS]);
}

export function rawCsvRows(rows: readonly RawRow[]): string {
  return stringify(
    rows.map((row) => [
      nsToRfc3339(row.timeNs),
      row.labels.deviceName,
      row.labels.tagName,
      row.labels.unit,
      row.value,
      row.rawValue,
      QUALITY[row.quality] ?? String(row.quality),
      row.errorCode,
    ]),
  );
}
