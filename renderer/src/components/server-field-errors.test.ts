// The gateway's field errors land on the form's fields; what belongs to no field is returned.
import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../api/api-error-text.ts';
import { showServerFieldErrors } from './server-field-errors.ts';

const failure = (issues: ApiFailure['issues']): ApiFailure => ({
  message: 'Invalid input — whatever.',
  code: 'BAD_REQUEST',
  reason: undefined,
  field: issues[0]?.field,
  issues,
});

describe('showServerFieldErrors', () => {
  it('puts each issue on its field and returns nothing when all were placed', () => {
    const placed: Array<[string, string]> = [];
    const rest = showServerFieldErrors(
      failure([
        { field: 'name', message: 'must not be empty' },
        { field: 'config.modbus.unitId', message: 'too big' },
      ]),
      (field) => (field === 'name' ? 'name' : field.startsWith('config.modbus.') ? 'unitId' : undefined),
      (field, error) => placed.push([field, error.message ?? '']),
    );
    expect(placed).toEqual([
      ['name', 'must not be empty'],
      ['unitId', 'too big'],
    ]);
    expect(rest).toBeNull();
  });

  it('returns the sentence when an issue has no field in the form, or there are no issues', () => {
    const noop = () => undefined;
    expect(showServerFieldErrors(failure([{ field: 'other', message: 'x' }]), ['name'], noop)).toBe(
      'Invalid input — whatever.',
    );
    expect(showServerFieldErrors({ ...failure([]), message: 'A device named X already exists.' }, ['name'], noop)).toBe(
      'A device named X already exists.',
    );
  });
});
