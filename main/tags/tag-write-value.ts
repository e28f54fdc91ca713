// What a user may write to a tag, judged before anything goes on the bus: the tag must allow
// writing, and the value must fit its data type, its min/max and (after undoing scaling and
// offset) the register it lands in. A refusal is a sentence naming the field; nothing is sent.
import type { TagAccess, TagDataType } from '../../common/enums.ts';
import type { Value } from '../../proto/generated/frame.ts';
import { integerRange } from '../drivers/modbus/register-codec.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';

/** The columns of a `tags` row that decide whether and what may be written. */
export interface WritableTag {
  name: string;
  dataType: TagDataType;
  accessType: TagAccess;
  enabled: boolean;
  scaling: number | null;
  tagOffset: number | null;
  minValue: number | null;
  maxValue: number | null;
}

/** What the API accepts as a value to write (superjson carries bigint and Date). */
export type WriteInputValue = boolean | number | bigint | string | Date;

const FLOAT_MAX = 3.4028234663852886e38;

function refuse(message: string): never {
  throw new OperationRefusedError('invalid', message, { field: 'value' });
}

function isScaled(tag: WritableTag): boolean {
  return (tag.scaling ?? 1) !== 1 || (tag.tagOffset ?? 0) !== 0;
}

function shown(value: WriteInputValue): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return value instanceof Date ? value.toISOString() : String(value);
}

function checkRange(tag: WritableTag, numeric: number, given: WriteInputValue): void {
  if (tag.minValue !== null && numeric < tag.minValue) {
    refuse(`${shown(given)} is below the minimum of '${tag.name}' (${tag.minValue}); nothing was written.`);
  }
  if (tag.maxValue !== null && numeric > tag.maxValue) {
    refuse(`${shown(given)} is above the maximum of '${tag.name}' (${tag.maxValue}); nothing was written.`);
  }
}

/** A whole number from a number, a bigint or decimal text ("18446744073709551615"). */
function wholeNumber(tag: WritableTag, given: WriteInputValue): bigint {
  if (typeof given === 'bigint') return given;
  if (typeof given === 'number' && Number.isInteger(given)) return BigInt(given);
  if (typeof given === 'string' && /^\s*-?\d{1,20}\s*$/.test(given)) return BigInt(given.trim());
  return refuse(`'${tag.name}' is a ${tag.dataType} tag: write a whole number, not ${shown(given)}.`);
}

function fitsRegister(tag: WritableTag, raw: bigint, given: WriteInputValue): void {
  const [low, high] = integerRange(tag.dataType) as readonly [bigint, bigint];
  if (raw < low || raw > high) {
    const scaled = isScaled(tag)
      ? ` (raw ${raw} after scaling ${tag.scaling ?? 1} and offset ${tag.tagOffset ?? 0})`
      : '';
    refuse(`${shown(given)}${scaled} does not fit '${tag.name}', a ${tag.dataType} (${low} … ${high}).`);
  }
}

/**
 * Checks that `tag` may be written and that `given` fits it; returns the engineering value for
 * the CommandFrame. Throws OperationRefusedError: 'forbidden' for a read-only tag, 'conflict'
 * for a disabled one, 'invalid' (field "value") for a value that does not fit.
 */
export function tagWriteValue(tag: WritableTag, given: WriteInputValue): Value {
  if (tag.accessType === 'Read') {
    throw new OperationRefusedError(
      'forbidden',
      `'${tag.name}' is read-only (its access is Read): it cannot be written.`,
      {
        field: 'id',
        reason: 'TAG_READ_ONLY',
      },
    );
  }
  if (!tag.enabled) {
    throw new OperationRefusedError('conflict', `'${tag.name}' is disabled: enable it before writing to it.`, {
      field: 'id',
      reason: 'TAG_DISABLED',
    });
  }
  switch (tag.dataType) {
    case 'Boolean':
      if (typeof given === 'boolean') return { kind: { $case: 'boolValue', value: given } };
      if (given === 0 || given === 1) return { kind: { $case: 'boolValue', value: given === 1 } };
      return refuse(`'${tag.name}' is a Boolean tag: write true or false (or 1 / 0), not ${shown(given)}.`);
    case 'String':
      if (typeof given !== 'string') return refuse(`'${tag.name}' is a String tag: write text, not ${shown(given)}.`);
      return { kind: { $case: 'stringValue', value: given } };
    case 'ByteArray':
      if (typeof given !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(given.replace(/\s+/g, ''))) {
        return refuse(`'${tag.name}' is a ByteArray tag: write the bytes as hexadecimal text, e.g. "01 A0 FF".`);
      }
      return { kind: { $case: 'bytesValue', value: Buffer.from(given.replace(/\s+/g, ''), 'hex') } };
    case 'DateTime': {
      const date = given instanceof Date ? given : typeof given === 'string' ? new Date(given) : undefined;
      if (!date || Number.isNaN(date.getTime())) {
        return refuse(`'${tag.name}' is a DateTime tag: write a date and time, not ${shown(given)}.`);
      }
      return { kind: { $case: 'timestampValue', value: BigInt(date.getTime()) * 1_000_000n } };
    }
    case 'Float':
    case 'Double': {
      if (typeof given !== 'number')
        return refuse(`'${tag.name}' is a ${tag.dataType} tag: write a number, not ${shown(given)}.`);
      checkRange(tag, given, given);
      const raw = (given - (tag.tagOffset ?? 0)) / (tag.scaling ?? 1);
      if (tag.dataType === 'Float' && Math.abs(raw) > FLOAT_MAX) {
        refuse(`${shown(given)} is too large for '${tag.name}', a 32-bit Float.`);
      }
      return { kind: { $case: 'doubleValue', value: given } };
    }
    default: {
      // the integer types
      if (isScaled(tag)) {
        if (typeof given !== 'number')
          return refuse(`'${tag.name}' is a scaled ${tag.dataType} tag: write a number, not ${shown(given)}.`);
        checkRange(tag, given, given);
        const raw = Math.round((given - (tag.tagOffset ?? 0)) / (tag.scaling ?? 1));
        if (!Number.isFinite(raw))
          refuse(`'${tag.name}' has a scaling of ${tag.scaling}: no raw value gives ${given}.`);
        fitsRegister(tag, BigInt(raw), given);
        return { kind: { $case: 'doubleValue', value: given } };
      }
      const whole = wholeNumber(tag, given);
      checkRange(tag, Number(whole), given);
      fitsRegister(tag, whole, given);
      return {
        kind: tag.dataType.startsWith('U') ? { $case: 'uintValue', value: whole } : { $case: 'intValue', value: whole },
      };
    }
  }
}
