// Imports records all or nothing. Every record is checked against its rules first; the valid
// ones are then written in one transaction, each inside its own savepoint, so that a database
// refusal (a duplicate name, say) is reported against its row and the others still get checked.
// If any row has a problem the transaction is rolled back: nothing changes, and the report lists
// every problem of every row at once, so the user fixes the file in one go.
import type { z } from 'zod';
import { camelCase, sentence, toInputIssues } from '../api/api-errors.ts';
import type { Database } from '../db/database.ts';
import { ConstraintViolationError, RecordNotFoundError } from '../db/database-errors.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import type { FileRecord } from './transfer-format.ts';

export interface RowProblem {
  /** see FileRecord.row */
  row: number;
  /** the column the problem is about, when it is about one */
  field: string | null;
  message: string;
}

export interface ImportReport {
  /** true when the import was written; false when any row had a problem (nothing changed) */
  applied: boolean;
  records: number;
  created: number;
  updated: number;
  problems: RowProblem[];
}

/** How a row is written: a new record, or an existing one replaced (when the import allows it). */
export type RowWriter<Row> = (repos: Repositories, row: Row) => Promise<'created' | 'updated'>;

class RollBack extends Error {}

/** A refusal from a row's writer that names the column it is about. */
export class RowRefusedError extends Error {
  override readonly name = 'RowRefusedError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export async function importAllOrNothing<Schema extends z.ZodType>(
  db: Database,
  records: FileRecord[],
  schema: Schema,
  write: RowWriter<z.output<Schema>>,
): Promise<ImportReport> {
  const problems: RowProblem[] = [];
  const valid: { row: number; value: z.output<Schema> }[] = [];
  for (const record of records) {
    const result = schema.safeParse(record.values);
    if (result.success) valid.push({ row: record.row, value: result.data });
    else {
      for (const issue of toInputIssues(result.error.issues)) {
        problems.push({ row: record.row, field: issue.field || null, message: sentence(issue.message) });
      }
    }
  }
  const counts = { created: 0, updated: 0 };
  try {
    await db.transaction(async (tx) => {
      for (const { row, value } of valid) {
        try {
          const outcome = await tx.transaction((savepoint) => write(repositories(savepoint), value));
          counts[outcome] += 1;
        } catch (error) {
          problems.push(rowProblem(row, error));
        }
      }
      if (problems.length > 0) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  problems.sort((a, b) => a.row - b.row);
  const applied = problems.length === 0;
  return {
    applied,
    records: records.length,
    created: applied ? counts.created : 0,
    updated: applied ? counts.updated : 0,
    problems,
  };
}

function rowProblem(row: number, error: unknown): RowProblem {
  if (error instanceof RowRefusedError) return { row, field: error.field, message: sentence(error.message) };
  if (error instanceof ConstraintViolationError) {
    return { row, field: error.field ? camelCase(error.field) : null, message: sentence(error.message) };
  }
  if (error instanceof RecordNotFoundError || error instanceof OperationRefusedError) {
    return { row, field: null, message: sentence(error.message) };
  }
  throw error;
}
