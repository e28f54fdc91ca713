// Puts the gateway's per-field validation messages on the form's fields, so that the user reads
// "must be greater than 0" under the field they typed, and returns what belongs to no field.
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ApiFailure } from '../api/api-error-text.ts';

/** The API's field ("endpoint", "config.modbus.unitId") → the form's field, or undefined. */
export type FieldMapping = (apiField: string) => string | undefined;

export function showServerFieldErrors<Values extends FieldValues>(
  failure: ApiFailure,
  fields: readonly string[] | FieldMapping,
  setError: UseFormSetError<Values>,
): string | null {
  const mapField: FieldMapping =
    typeof fields === 'function' ? fields : (field) => (fields.includes(field) ? field : undefined);
  let unplaced = false;
  for (const issue of failure.issues) {
    const field = mapField(issue.field);
    if (field) setError(field as Path<Values>, { type: 'server', message: issue.message });
    else unplaced = true;
  }
  return failure.issues.length === 0 || unplaced ? failure.message : null;
}
