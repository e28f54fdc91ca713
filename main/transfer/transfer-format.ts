// The two file formats of device and tag imports and exports. CSV is for spreadsheets (one
// record per row, the first row names the columns); JSON is an array of objects with the same
// keys, for scripts. Both are read into the same records, checked by the same rules.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const TRANSFER_FORMATS = ['csv', 'json'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

export type ColumnKind = 'text' | 'number' | 'boolean' | 'json';

export interface Column {
  key: string;
  kind: ColumnKind;
}

/** One record read from a file: where it was, and its values by column key. */
export interface FileRecord {
  /** CSV: the line in the file where the record ends (the header is line 1); JSON: position in the array from 1 */
  row: number;
  values: Record<string, unknown>;
}

/** A file that cannot be read at all; `row` is where reading stopped, when known. */
export class TransferFileError extends Error {
  override readonly name = 'TransferFileError';
  constructor(
    message: string,
    readonly row: number | null,
  ) {
    super(message);
  }
}

export const MAX_IMPORT_RECORDS = 50_000;

export function readRecords(format: TransferFormat, content: string, columns: readonly Column[]): FileRecord[] {
  const records = format === 'csv' ? readCsv(content, columns) : readJson(content, columns);
  if (records.length > MAX_IMPORT_RECORDS) {
    throw new TransferFileError(
      `The file has ${records.length} records; at most ${MAX_IMPORT_RECORDS} can be imported at once.`,
      null,
    );
  }
  return records;
}

export function writeRecords(
  format: TransferFormat,
  columns: readonly Column[],
  rows: Record<string, unknown>[],
): string {
  if (format === 'json') {
    return `${JSON.stringify(
      rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, row[c.key] ?? null]))),
      null,
      2,
    )}\n`;
  }
  return stringify(
    rows.map((row) => columns.map((column) => toCell(column.kind, row[column.key]))),
    { header: true, columns: columns.map((c) => c.key), record_delimiter: 'windows' },
  );
}

function checkColumns(found: string[], columns: readonly Column[], where: string): void {
  const known = new Set(columns.map((c) => c.key));
  const unknown = found.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new TransferFileError(
      `${where} has unknown columns: ${unknown.join(', ')}. The columns are: ${columns.map((c) => c.key).join(', ')}.`,
      1,
    );
  }
  const duplicate = found.find((key, index) => found.indexOf(key) !== index);
  if (duplicate) throw new TransferFileError(`${where} names the column '${duplicate}' twice.`, 1);
}

function readCsv(content: string, columns: readonly Column[]): FileRecord[] {
  const kinds = new Map(columns.map((c) => [c.key, c.kind]));
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(content, {
      bom: true,
      columns: (header: string[]) => {
        const keys = header.map((h) => h.trim());
        checkColumns(keys, columns, 'The header row');
        return keys;
      },
      skip_empty_lines: true,
      info: true,
    });
  } catch (error) {
    if (error instanceof TransferFileError) throw error;
    const csvError = error as Error & { lines?: number };
    throw new TransferFileError(`The CSV file cannot be read: ${csvError.message}.`, csvError.lines ?? null);
  }
  return parsed.map(({ record, info }) => ({
    row: info.lines,
    values: Object.fromEntries(
      Object.entries(record)
        .filter(([, cell]) => cell.trim() !== '')
        .map(([key, cell]) => [key, fromCell(kinds.get(key) ?? 'text', cell)]),
    ),
  }));
}

function readJson(content: string, columns: readonly Column[]): FileRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new TransferFileError(`The JSON file cannot be read: ${(error as Error).message}.`, null);
  }
  if (!Array.isArray(parsed)) throw new TransferFileError('The JSON file must hold an array of records.', null);
  return parsed.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new TransferFileError(`Record ${index + 1} of the JSON file is not an object.`, index + 1);
    }
    checkColumns(Object.keys(item), columns, `Record ${index + 1} of the JSON file`);
    return {
      row: index + 1,
      values: Object.fromEntries(
        Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== null && v !== ''),
      ),
    };
  });
}

// A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula: a tag named
// "=HYPERLINK(…)" must not become one. Such text is written with a leading apostrophe, which
// spreadsheets hide, and reading removes it again.
const FORMULA_START = /^[=+\-@\t\r]/;

function toCell(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind === 'json') return JSON.stringify(value);
  if (kind === 'text') {
    const text = String(value);
    return FORMULA_START.test(text) ? `'${text}` : text;
  }
  return String(value);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Cell text as the record's value; what cannot be converted stays text, for the record's rules to name. */
function fromCell(kind: ColumnKind, cell: string): unknown {
  const trimmed = cell.trim();
  switch (kind) {
    case 'number':
      return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
    case 'boolean':
      return TRUE.has(trimmed.toLowerCase()) ? true : FALSE.has(trimmed.toLowerCase()) ? false : trimmed;
    case 'json':
      try {
        return JSON.parse(trimmed);
      } catch {
        return trimmed;
      }
    case 'text':
      return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
  }
}
