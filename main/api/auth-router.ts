// Signing in and out, the first start, and one's own password.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../common/password-policy.ts';
import { LoginRefusedError, type SignedIn } from '../auth/auth-service.ts';
import type { ApiConnection } from './api-context.ts';
import { name, optionalName, text } from './api-schemas.ts';
import { procedure, router, signedIn } from './trpc.ts';

/** Letters and digits of any script, and . _ @ - : fits a login prompt and a log line. */
export const username = name(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'may contain only letters, digits and . _ @ -');
/** Policy rules (length, common passwords) are checked by the service, which knows the username. */
export const password = z.string('must be text').min(1, 'must not be empty').max(PASSWORD_MAX_LENGTH);

function clientInfo(connection: ApiConnection) {
  return { ipAddress: connection.remoteAddress, userAgent: connection.userAgent };
}

/** Makes the connection act as the signed-in user from now on, and tells the client its token. */
function adopt(connection: ApiConnection, result: SignedIn): SignedIn {
  connection.sessionToken = result.token;
  return result;
}

export const authRouter = router({
  /** First start: no account exists yet, and the first ADMIN must be created. */
  setupStatus: procedure('public').query(async ({ ctx }) => ({
    needsFirstAdmin: await ctx.services.auth.needsFirstAdmin(),
    /** a caller on another computer must give the setup code the gateway printed at start */
    setupCodeRequired: !ctx.connection.isLocal,
  })),

  /** Creates the first ADMIN (only while no account exists) and signs them in. */
  setup: procedure('public')
    .input(
      z.object({
        username,
        password,
        fullName: optionalName(255),
        setupCode: z.string().max(64).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.auth.createFirstAdmin(input, {
        ...clientInfo(ctx.connection),
        isLocal: ctx.connection.isLocal,
        setupCode: input.setupCode,
      });
      ctx.audit.actor = { userId: result.session.user.id, username: result.session.user.username };
      ctx.audit.resourceId = result.session.user.id;
      return adopt(ctx.connection, result);
    }),

  login: procedure('public', { resourceType: 'user' })
    .input(z.object({ username: text(255), password }))
    .mutation(async ({ ctx, input }) => {
      try {
        const result = await ctx.services.auth.login(input.username, input.password, clientInfo(ctx.connection));
        ctx.audit.actor = { userId: result.session.user.id, username: result.session.user.username };
        ctx.audit.resourceId = result.session.user.id;
        return adopt(ctx.connection, result);
      } catch (error) {
        if (error instanceof LoginRefusedError) {
          // The client reads the same sentence whatever the reason; the audit trail keeps it.
          ctx.audit.resourceId = error.userId;
          ctx.audit.details = { attemptedUsername: input.username, reason: error.reason };
        }
        throw error;
      }
    }),

  /** The caller's session, or null when the connection is not signed in. */
  session: procedure('public').query(({ ctx }) => ctx.session),

  logout: procedure('own-account').mutation(async ({ ctx }) => {
    const session = signedIn(ctx);
    await ctx.services.auth.logout(session.sessionId);
    ctx.connection.sessionToken = null;
    ctx.audit.resourceId = session.user.id;
    return { signedOut: true };
  }),

  /** Ends every session of the caller, this one included, and signs in anew with the new password. */
  changePassword: procedure('own-account', { resourceType: 'user' })
    .input(z.object({ currentPassword: password, newPassword: password }))
    .mutation(async ({ ctx, input }) => {
      const session = signedIn(ctx);
      ctx.audit.resourceId = session.user.id;
      const result = await ctx.services.auth.changePassword(
        session,
        input.currentPassword,
        input.newPassword,
        clientInfo(ctx.connection),
      );
      return adopt(ctx.connection, result);
    }),
});
