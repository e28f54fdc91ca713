import { describe, expect, it } from 'vitest';
import { checkWriteValue, tagIsWritable, writeInputKind, type WritableTagFields } from './tag-write-form.ts';

const setpoint: WritableTagFields = {
  name: 'setpoint',
  dataType: 'Int16',
  accessType: 'ReadWrite',
  minValue: 20,
  maxValue: 90,
};

describe('the write form', () => {
  it('offers an input by data type', () => {
    expect(writeInputKind('Boolean')).toBe('switch');
    expect(writeInputKind('UInt32')).toBe('integer');
    expect(writeInputKind('Double')).toBe('decimal');
    expect(writeInputKind('String')).toBe('text');
    expect(writeInputKind('ByteArray')).toBe('unsupported');
    expect(tagIsWritable({ accessType: 'Read', dataType: 'Int16' })).toBe(false);
    expect(tagIsWritable({ accessType: 'Write', dataType: 'Float' })).toBe(true);
  });

  it('accepts a value of the type within min/max', () => {
    expect(checkWriteValue(setpoint, ' 55 ')).toEqual({ ok: true, value: 55 });
    expect(checkWriteValue({ ...setpoint, dataType: 'Float' }, '20.5')).toEqual({ ok: true, value: 20.5 });
    expect(checkWriteValue({ ...setpoint, dataType: 'Boolean' }, true)).toEqual({ ok: true, value: true });
    expect(checkWriteValue({ ...setpoint, dataType: 'String' }, 'PUMP-1')).toEqual({ ok: true, value: 'PUMP-1' });
  });

  it('names what is wrong', () => {
    expect(checkWriteValue(setpoint, '')).toMatchObject({ key: 'write.required' });
    expect(checkWriteValue(setpoint, 'warm')).toMatchObject({ key: 'write.notANumber' });
    expect(checkWriteValue(setpoint, '20.5')).toMatchObject({ key: 'write.wholeNumber', values: { type: 'Int16' } });
    expect(checkWriteValue(setpoint, '19')).toMatchObject({ key: 'write.belowMin', values: { min: 20 } });
    expect(checkWriteValue(setpoint, '91')).toMatchObject({ key: 'write.aboveMax', values: { max: 90 } });
    expect(checkWriteValue({ ...setpoint, accessType: 'Read' }, '50')).toMatchObject({ key: 'write.readOnly' });
  });
});
