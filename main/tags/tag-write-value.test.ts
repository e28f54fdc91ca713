import { describe, expect, it } from 'vitest';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import { tagWriteValue, type WritableTag, type WriteInputValue } from './tag-write-value.ts';

const tag = (fields: Partial<WritableTag>): WritableTag => ({
  name: 'x',
  dataType: 'Int16',
  accessType: 'ReadWrite',
  enabled: true,
  scaling: 1,
  tagOffset: 0,
  minValue: null,
  maxValue: null,
  ...fields,
});

function refusal(t: WritableTag, value: WriteInputValue): OperationRefusedError {
  try {
    tagWriteValue(t, value);
  } catch (error) {
    if (error instanceof OperationRefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('what may be written to a tag', () => {
  it('turns values into the CommandFrame value of the tag type', () => {
    expect(tagWriteValue(tag({ dataType: 'Boolean' }), 1).kind).toEqual({ $case: 'boolValue', value: true });
    expect(tagWriteValue(tag({ dataType: 'Int16' }), -5).kind).toEqual({ $case: 'intValue', value: -5n });
    expect(tagWriteValue(tag({ dataType: 'UInt64' }), '18446744073709551615').kind).toEqual({
      $case: 'uintValue',
      value: 18446744073709551615n,
    });
    expect(tagWriteValue(tag({ dataType: 'Int16', scaling: 0.1 }), 12.3).kind).toEqual({
      $case: 'doubleValue',
      value: 12.3,
    });
    expect(tagWriteValue(tag({ dataType: 'ByteArray' }), '01 a0 FF').kind).toEqual({
      $case: 'bytesValue',
      value: Buffer.from([1, 0xa0, 0xff]),
    });
    expect(tagWriteValue(tag({ dataType: 'DateTime' }), new Date(1_000)).kind).toEqual({
      $case: 'timestampValue',
      value: 1_000_000_000n,
    });
  });

  it('refuses what does not fit, naming the field', () => {
    expect(refusal(tag({ dataType: 'Int16' }), 40_000).message).toContain('does not fit');
    expect(refusal(tag({ dataType: 'UInt16', scaling: 0.01 }), 700).message).toContain('raw 70000');
    expect(refusal(tag({ maxValue: 10 }), 11).message).toContain('above the maximum');
    expect(refusal(tag({ minValue: 0 }), -1).message).toContain('below the minimum');
    expect(refusal(tag({ dataType: 'Float' }), 'warm').details.field).toBe('value');
    expect(refusal(tag({ dataType: 'Float' }), 1e39).message).toContain('32-bit Float');
    expect(refusal(tag({ dataType: 'Int16', scaling: 0 }), 1).message).toContain('scaling of 0');
    expect(refusal(tag({ accessType: 'Read' }), 1)).toMatchObject({ kind: 'forbidden', details: { field: 'id' } });
    expect(refusal(tag({ enabled: false }), 1)).toMatchObject({
      kind: 'conflict',
      details: { reason: 'TAG_DISABLED' },
    });
  });
});
