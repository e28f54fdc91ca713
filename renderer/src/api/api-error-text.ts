// What the user reads when a call fails: the gateway's own sentence (it never sends a stack),
// the field it is about, and the per-field issues of an invalid input.
import { TRPCClientError } from '@trpc/client';

export interface FieldIssue {
  field: string;
  message: string;
}

export interface ApiFailure {
  message: string;
  code: string | undefined;
  reason: string | undefined;
  field: string | undefined;
  issues: FieldIssue[];
}

export function apiFailure(error: unknown): ApiFailure {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as {
      code?: string;
      reason?: string;
      field?: string;
      issues?: FieldIssue[];
    };
    const issues = data.issues ?? (data.field ? [{ field: data.field, message: error.message }] : []);
    return { message: error.message, code: data.code, reason: data.reason, field: data.field, issues };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    code: undefined,
    reason: undefined,
    field: undefined,
    issues: [],
  };
}
