// What the import and export procedures of devices and tags share: their inputs, the file name
// of an export, and how an import's report becomes the call's result and audit row.
import { z } from 'zod';
import { oneOf } from './api-schemas.ts';
import { OperationRefusedError } from '../gateway/operation-refused-error.ts';
import type { ImportReport } from '../transfer/all-or-nothing-import.ts';
import { TRANSFER_FORMATS, TransferFileError } from '../transfer/transfer-format.ts';
import type { AuditNote } from './trpc.ts';

/** 10 MiB of file text at most (some 100,000 tags); the WebSocket's message limit leaves room for it. */
export const MAX_IMPORT_CHARACTERS = 10 * 1024 * 1024;

const format = oneOf(TRANSFER_FORMATS);

export const exportInput = z.object({ format });

export const importInput = z.object({
  format,
  content: z.string().max(MAX_IMPORT_CHARACTERS, 'the file is larger than 10 MiB'),
  /** replace records that already exist (matched by name) instead of reporting them */
  replaceExisting: z.boolean().default(false),
});

export function exportFileName(what: string, fileFormat: string, at: Date): string {
  return `${what}-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${fileFormat}`;
}

export async function runImport(ctx: { audit: AuditNote }, work: () => Promise<ImportReport>): Promise<ImportReport> {
  let report: ImportReport;
  try {
    report = await work();
  } catch (error) {
    if (error instanceof TransferFileError) {
      throw new OperationRefusedError('invalid', error.message, { field: 'content', reason: 'UNREADABLE_FILE' });
    }
    throw error;
  }
  ctx.audit.details = {
    records: report.records,
    created: report.created,
    updated: report.updated,
    problems: report.problems.length,
  };
  if (!report.applied) {
    ctx.audit.outcome = {
      success: false,
      errorMessage: `${report.problems.length} problems in the file; nothing was imported`,
    };
  }
  return report;
}
