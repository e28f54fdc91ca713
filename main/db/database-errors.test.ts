import { describe, expect, it } from 'vitest';
import { ConstraintViolationError, parseKeyDetail, translateDatabaseError } from './database-errors.ts';

describe('parseKeyDetail', () => {
  it('reads single and composite keys', () => {
    expect(parseKeyDetail('Key (name)=(PLC-001) already exists.')).toEqual({ name: 'PLC-001' });
    expect(parseKeyDetail('Key (device_id, name)=(0b6e, T1) already exists.')).toEqual({
      device_id: '0b6e',
      name: 'T1',
    });
    expect(parseKeyDetail('Key (device_id, name)=(0b6e, a, b) already exists.')).toEqual({
      device_id: '0b6e',
      name: 'a, b',
    });
    expect(parseKeyDetail(undefined)).toEqual({});
  });
});

describe('translateDatabaseError', () => {
  it('unwraps drizzle query errors', () => {
    const cause = Object.assign(new Error('dup'), {
      code: '23505',
      constraint: 'devices_name_key',
      detail: 'Key (name)=(A) already exists.',
    });
    const wrapped = Object.assign(new Error('Failed query: insert'), { cause });
    const translated = translateDatabaseError(wrapped);
    expect(translated).toBeInstanceOf(ConstraintViolationError);
    expect((translated as Error).message).toBe("a device named 'A' already exists");
  });

  it('leaves errors that are not about the data alone', () => {
    const lost = Object.assign(new Error('terminating connection'), { code: '57P01' });
    expect(translateDatabaseError(lost)).toBe(lost);
    const plain = new Error('ECONNREFUSED');
    expect(translateDatabaseError(plain)).toBe(plain);
  });

  it('names a missing required column', () => {
    const error = translateDatabaseError({ code: '23502', column: 'endpoint', message: 'null value' });
    expect(error).toMatchObject({ kind: 'not_null', field: 'endpoint', message: 'endpoint is required' });
  });
});
