// The API's building blocks. Routers build every procedure with `procedure(access)`, never with
// a bare tRPC procedure, so each one passes through the same chain:
//   0. gateway  — while the gateway starts (or after its start failed) every call is refused
//                 with SERVICE_UNAVAILABLE and a reason (GATEWAY_STARTING, GATEWAY_FAILED) the
//                 UI waits on; once it runs, its services become ctx.services;
//   1. session  — the connection's token becomes ctx.session (or a reason it was refused);
//   2. audit    — mutations (and queries marked audit: true, e.g. exports) leave an audit row,
//                 whether they succeed or fail;
//   3. errors   — database, service and validation errors become a code and a sentence;
//   4. access   — the caller's role is checked against ACCESS_RULES (access-policy.ts),
//                 before the input is parsed;
//   5. throttle — public mutations (sign-in, first start) are rate limited per source, so
//                 neither password guessing nor their audit rows can flood;
//   6. the procedure's own input validation (zod) and resolver.
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ACCESS_RULES, refusalMessage, roleMay, type Access } from './access-policy.ts';
import type { ApiContext, ResolvedContext } from './api-context.ts';
import { ApiError, formatApiError, toApiError } from './api-errors.ts';
import { START_STAGE_TEXT, type StartupState } from '../gateway/gateway-startup.ts';
import { summariseForAudit } from './audit-summary.ts';

export interface ProcedureMeta {
  access: Access;
  /** audit this call: default true for mutations, false for queries */
  audit?: boolean;
  /** the audit row's resource_type; default: the first part of the procedure's path */
  resourceType?: string;
}

/**
 * What a procedure may add to its audit row: the record it acted on, extra details, or (for
 * sign-in, where nobody was signed in before) the user it was about.
 */
export interface AuditNote {
  resourceId?: string | null;
  details?: Record<string, unknown>;
  actor?: { userId: string | null; username: string };
  /** an outcome that differs from the call's (an import that reported errors and changed nothing) */
  outcome?: { success: boolean; errorMessage: string | null };
  /** no row at all: for refusals that must not each cost a row (rate limiting) */
  skip?: boolean;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    isDev: false,
    errorFormatter: ({ error, path }) => formatApiError(error, path),
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The refusal of a call that arrives before the gateway runs. */
export function notRunningError(state: Exclude<StartupState, { phase: 'ready' }>): ApiError {
  if (state.phase === 'failed') {
    return new ApiError({
      code: 'SERVICE_UNAVAILABLE',
      message: `The gateway could not start: ${state.message}`,
      reason: 'GATEWAY_FAILED',
    });
  }
  return new ApiError({
    code: 'SERVICE_UNAVAILABLE',
    message: `The gateway is still starting (${START_STAGE_TEXT[state.stage]}, step ${state.step} of ${state.steps}); try again in a moment.`,
    reason: 'GATEWAY_STARTING',
  });
}

const requireRunningGateway = t.middleware(({ ctx, next }) => {
  const services = ctx.gateway.services();
  const state = ctx.gateway.state();
  if (!services || state.phase !== 'ready') throw notRunningError(state as Exclude<StartupState, { phase: 'ready' }>);
  return next({ ctx: { services } });
});

const resolveSession = t.middleware(async ({ ctx, next }) => {
  const token = ctx.connection.sessionToken;
  const resolved: Pick<ResolvedContext, 'session' | 'sessionRefusal'> = { session: null, sessionRefusal: null };
  if (token) {
    const check = await (ctx as ResolvedContext).services.auth.authenticate(token);
    if (check.ok) resolved.session = check.session;
    else {
      resolved.sessionRefusal = check.reason;
      ctx.connection.sessionToken = null;
    }
  }
  return next({ ctx: resolved });
});

const recordAudit = t.middleware(async ({ ctx, meta, type, path, next, getRawInput }) => {
  const resolved = ctx as ResolvedContext;
  const audited = meta?.audit ?? type === 'mutation';
  const note: AuditNote = {};
  const result = await next({ ctx: { audit: note } });
  // A caller who is not signed in is not audited (anyone could flood the trail), except on the
  // public procedures (sign-in, first start), which are rate limited.
  if (!audited || note.skip || (!resolved.session && meta?.access !== 'public')) return result;
  const rawInput = await getRawInput().catch(() => undefined);
  const resultId = result.ok ? (result.data as { id?: unknown } | undefined)?.id : undefined;
  const inputId = (rawInput as { id?: unknown } | undefined)?.id;
  const actor =
    note.actor ??
    (resolved.session ? { userId: resolved.session.user.id, username: resolved.session.user.username } : null);
  const outcome = note.outcome ?? {
    success: result.ok,
    errorMessage: result.ok ? null : toApiError(result.error).message,
  };
  try {
    await resolved.services.audit.record({
      actor,
      action: path,
      resourceType: meta?.resourceType ?? path.split('.')[0],
      resourceId:
        note.resourceId ?? (typeof inputId === 'string' ? inputId : typeof resultId === 'string' ? resultId : null),
      details: { ...note.details, input: summariseForAudit(rawInput), via: ctx.connection.transport },
      success: outcome.success,
      errorMessage: outcome.errorMessage,
      ipAddress: ctx.connection.remoteAddress,
      userAgent: ctx.connection.userAgent,
    });
  } catch (error) {
    // The change itself has happened; losing its audit row must at least be loud.
    const reason = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    console.error(`[audit] could not record ${path}: ${reason}`);
  }
  return result;
});

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toApiError(result.error);
  return result;
});

const SESSION_REFUSALS: Record<NonNullable<ResolvedContext['sessionRefusal']>, string> = {
  unknown: 'Sign in first.',
  revoked:
    'Your session was ended (signed out elsewhere, password changed or revoked by an administrator); sign in again.',
  expired: 'Your session has expired; sign in again.',
  idle: 'Your session ended after a period of inactivity; sign in again.',
};

/** The UNAUTHORIZED error for a caller without a (valid) session; null: never signed in. */
export function sessionRefusedError(refusal: ResolvedContext['sessionRefusal']): ApiError {
  return new ApiError({
    code: 'UNAUTHORIZED',
    message: SESSION_REFUSALS[refusal ?? 'unknown'],
    reason: refusal === null ? 'SIGN_IN_REQUIRED' : `SESSION_${refusal.toUpperCase()}`,
  });
}

const enforceAccess = t.middleware(({ ctx, meta, next }) => {
  const { session, sessionRefusal } = ctx as ResolvedContext;
  const access = meta?.access;
  if (!access || !(access in ACCESS_RULES)) {
    throw new Error('A procedure was built without procedure(access): it has no access rule');
  }
  if (access === 'public') return next();
  if (!session) throw sessionRefusedError(sessionRefusal);
  if (session.user.mustChangePassword && access !== 'own-account') {
    throw new ApiError({
      code: 'FORBIDDEN',
      message: 'Choose a new password first: yours was set by an administrator or has expired.',
      reason: 'PASSWORD_CHANGE_REQUIRED',
    });
  }
  if (!roleMay(session.user.role, access)) {
    throw new ApiError({ code: 'FORBIDDEN', message: refusalMessage(session.user.role, access), reason: 'ROLE' });
  }
  return next();
});

const throttlePublicMutations = t.middleware(({ ctx, meta, type, next }) => {
  if (meta?.access !== 'public' || type !== 'mutation') return next();
  const waitSeconds = (ctx as ResolvedContext).services.loginLimiter.take(
    ctx.connection.remoteAddress ?? ctx.connection.transport,
  );
  if (waitSeconds > 0) {
    (ctx as ResolvedContext & { audit: AuditNote }).audit.skip = true;
    throw new ApiError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many sign-in attempts from this computer; try again in ${waitSeconds} seconds.`,
      reason: 'RATE_LIMITED',
    });
  }
  return next();
});

const chain = t.procedure
  .use(requireRunningGateway)
  .use(resolveSession)
  .use(recordAudit)
  .use(mapErrors)
  .use(enforceAccess)
  .use(throttlePublicMutations);

/** The one way to build a procedure: it declares who may call it. */
export function procedure(access: Access, options: Omit<ProcedureMeta, 'access'> = {}) {
  return chain.meta({ access, ...options });
}

/**
 * The one procedure that answers while the gateway starts (system.startup): public, unaudited,
 * and it reads nothing but the start's progress, so it needs no running gateway.
 */
export const startupProcedure = t.procedure.meta({ access: 'public', audit: false });

/** The signed-in caller of a procedure whose access level is not 'public'. */
export function signedIn(ctx: ResolvedContext): NonNullable<ResolvedContext['session']> {
  if (!ctx.session) throw new ApiError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return ctx.session;
}
