// What a tag is when a user creates, changes, imports or exports one: the seed's tags columns.
// The rules the database also checks (scaling > 0, min ≤ max, scan rate > 0) are checked here
// first, so the user reads them against the field they typed.
import { z } from 'zod';
import { TAG_ACCESS, TAG_DATA_TYPES } from '../../common/enums.ts';
import { double, id, name, optionalName, optionalText, positiveInt32, text, oneOf } from '../api/api-schemas.ts';

export const tagFields = z.object({
  deviceId: id,
  name: name(255),
  description: optionalText(10_000),
  /** register or node address in the protocol's notation, e.g. 40001, 0x0010, ns=2;s=Temp */
  address: name(255),
  dataType: oneOf(TAG_DATA_TYPES),
  accessType: oneOf(TAG_ACCESS).optional(),
  unit: optionalName(50),
  /** value = raw × scaling + tagOffset */
  scaling: double.positive('must be greater than 0').optional(),
  tagOffset: double.optional(),
  minValue: double.nullish(),
  maxValue: double.nullish(),
  deadband: double.min(0, 'must not be negative').nullish(),
  /** milliseconds; empty: the device's or driver's scan interval */
  scanRate: positiveInt32.nullish(),
  enabled: z.boolean('must be true or false').optional(),
});

export type TagFields = z.output<typeof tagFields>;

/** min ≤ max when both are given (the database's tags_min_max_order, said per field). */
export function checkTagRange(tag: { minValue?: number | null; maxValue?: number | null }, ctx: z.RefinementCtx): void {
  const { minValue, maxValue } = tag;
  if (typeof minValue === 'number' && typeof maxValue === 'number' && minValue > maxValue) {
    ctx.addIssue({ code: 'custom', path: ['minValue'], message: 'must not be greater than maxValue' });
  }
}

export const tagFilter = z.object({
  deviceId: id.optional(),
  search: text(255).optional(),
  enabled: z.boolean().optional(),
});
