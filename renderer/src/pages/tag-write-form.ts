// What the write dialog checks before anything is sent: the tag must allow writing, and the text
// typed must be a value of the tag's data type within its min/max. The gateway checks again
// (register range after scaling, a tag changed meanwhile); this is for a quick answer in words.
import type { TagAccess, TagDataType } from '../../../common/enums.ts';

export interface WritableTagFields {
  name: string;
  dataType: TagDataType;
  accessType: TagAccess;
  minValue: number | null;
  maxValue: number | null;
}

export type WriteInputKind = 'switch' | 'integer' | 'decimal' | 'text' | 'unsupported';

const INTEGER_TYPES: ReadonlySet<TagDataType> = new Set([
  'Int8',
  'UInt8',
  'Int16',
  'UInt16',
  'Int32',
  'UInt32',
  'Int64',
  'UInt64',
]);

export function writeInputKind(dataType: TagDataType): WriteInputKind {
  if (dataType === 'Boolean') return 'switch';
  if (INTEGER_TYPES.has(dataType)) return 'integer';
  if (dataType === 'Float' || dataType === 'Double') return 'decimal';
  if (dataType === 'String') return 'text';
  return 'unsupported';
}

export function tagIsWritable(tag: Pick<WritableTagFields, 'accessType' | 'dataType'>): boolean {
  return tag.accessType !== 'Read' && writeInputKind(tag.dataType) !== 'unsupported';
}

/** A problem as an i18n key and its values, or the value to send. */
export type WriteCheck =
  { ok: true; value: boolean | number | string } | { ok: false; key: string; values?: Record<string, string | number> };

/** Checks what the user entered (a boolean for a switch, text otherwise). */
export function checkWriteValue(tag: WritableTagFields, entered: boolean | string): WriteCheck {
  if (tag.accessType === 'Read') return { ok: false, key: 'write.readOnly' };
  const kind = writeInputKind(tag.dataType);
  if (kind === 'unsupported') return { ok: false, key: 'write.unsupported', values: { type: tag.dataType } };
  if (kind === 'switch') return { ok: true, value: entered === true };
  const text = String(entered);
  if (kind === 'text') return { ok: true, value: text };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, key: 'write.required' };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { ok: false, key: 'write.notANumber' };
  if (kind === 'integer' && !Number.isInteger(number)) {
    return { ok: false, key: 'write.wholeNumber', values: { type: tag.dataType } };
  }
  if (tag.minValue !== null && number < tag.minValue) {
    return { ok: false, key: 'write.belowMin', values: { min: tag.minValue } };
  }
  if (tag.maxValue !== null && number > tag.maxValue) {
    return { ok: false, key: 'write.aboveMax', values: { max: tag.maxValue } };
  }
  return { ok: true, value: number };
}
