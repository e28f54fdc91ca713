// Every error leaves the API as a code and a sentence for the user, with the field it is about
// when there is one. Never a stack, a SQL statement or a driver's message: an unexpected error
// is logged here with a short reference, and the client gets the reference only.
import { randomBytes } from 'node:crypto';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { LoginRefusedError } from '../auth/auth-service.ts';
import { ConstraintViolationError, isDatabaseUnavailable, RecordNotFoundError } from '../db/database-errors.ts';
import { OperationRefusedError, type RefusalKind } from '../gateway/operation-refused-error.ts';

export interface InputIssue {
  /** dotted path of the field, e.g. "rows.3.name"; "" for the input as a whole */
  field: string;
  message: string;
}

/** A TRPCError that carries what the client's error shape shows besides the message. */
export class ApiError extends TRPCError {
  readonly field: string | undefined;
  readonly issues: InputIssue[] | undefined;
  readonly reason: string | undefined;
  constructor(options: {
    code: TRPC_ERROR_CODE_KEY;
    message: string;
    field?: string | undefined;
    issues?: InputIssue[] | undefined;
    reason?: string | undefined;
  }) {
    super({ code: options.code, message: options.message });
    this.field = options.field;
    this.issues = options.issues;
    this.reason = options.reason;
  }
}

/** The error data every client receives (see errorFormatter in trpc.ts). */
export interface ApiErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path: string | undefined;
  field: string | undefined;
  issues: InputIssue[] | undefined;
  reason: string | undefined;
}

const REFUSAL_CODES: Record<RefusalKind, TRPC_ERROR_CODE_KEY> = {
  invalid: 'BAD_REQUEST',
  conflict: 'CONFLICT',
  forbidden: 'FORBIDDEN',
  unauthenticated: 'UNAUTHORIZED',
  'not-found': 'NOT_FOUND',
  'rate-limited': 'TOO_MANY_REQUESTS',
};

/** "a device named 'X' already exists" → "A device named 'X' already exists." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** database column → API field: scan_rate → scanRate */
export const camelCase = (column: string): string => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

interface IssueLike {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
}

function issuesOf(cause: unknown): IssueLike[] | undefined {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as IssueLike[]) : undefined;
}

export function toInputIssues(issues: readonly IssueLike[]): InputIssue[] {
  return issues.map((issue) => ({
    field: (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment))
      .join('.'),
    message: issue.message,
  }));
}

export function describeIssues(issues: InputIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message));
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more problems)` : '';
  return `Invalid input — ${shown.join('; ')}${more}.`;
}

/** Turns whatever a procedure threw into the error the client may see. Idempotent. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof ConstraintViolationError) {
    return new ApiError({
      code: cause.kind === 'unique' ? 'CONFLICT' : 'BAD_REQUEST',
      message: sentence(cause.message),
      field: cause.field ? camelCase(cause.field) : undefined,
    });
  }
  if (cause instanceof RecordNotFoundError) {
    return new ApiError({ code: 'NOT_FOUND', message: sentence(cause.message) });
  }
  if (cause instanceof OperationRefusedError) {
    return new ApiError({
      code: REFUSAL_CODES[cause.kind],
      message: cause.message,
      field: cause.details.field,
      reason: cause.details.reason,
    });
  }
  if (cause instanceof LoginRefusedError) {
    return new ApiError({ code: 'UNAUTHORIZED', message: cause.message, reason: 'LOGIN_REFUSED' });
  }
  if (error instanceof TRPCError && error.code === 'BAD_REQUEST') {
    const issues = issuesOf(error.cause);
    if (issues) {
      const inputIssues = toInputIssues(issues);
      return new ApiError({
        code: 'BAD_REQUEST',
        message: describeIssues(inputIssues),
        field: inputIssues[0]?.field || undefined,
        issues: inputIssues,
      });
    }
  }
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    // Errors the API raised on purpose (refused access, unknown procedure, unparsable message).
    return new ApiError({ code: error.code, message: error.message });
  }
  if (isDatabaseUnavailable(cause)) {
    console.error('[api] the database is unreachable:', cause instanceof Error ? cause.message : cause);
    return new ApiError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The gateway cannot reach its database right now; nothing was changed. Try again in a moment.',
      reason: 'DATABASE_UNAVAILABLE',
    });
  }
  const reference = randomBytes(4).toString('hex');
  console.error(`[api] internal error ${reference}:`, error instanceof TRPCError ? (error.cause ?? error) : error);
  return new ApiError({
    code: 'INTERNAL_SERVER_ERROR',
    message: `Something went wrong inside the gateway (reference ${reference}); the gateway's log has the details.`,
  });
}

/** The error shape sent to clients: code, message and data, nothing else. */
export function formatApiError(error: TRPCError, path: string | undefined) {
  const apiError = toApiError(error);
  const data: ApiErrorData = {
    code: apiError.code,
    httpStatus: getHTTPStatusCodeFromError(apiError),
    path,
    field: apiError.field,
    issues: apiError.issues,
    reason: apiError.reason,
  };
  return { code: TRPC_ERROR_CODES_BY_KEY[apiError.code], message: apiError.message, data };
}
