// User accounts, for ADMINs. The last administrator who can sign in cannot be deleted, demoted,
// locked or disabled (user-administration.ts).
import { z } from 'zod';
import { USER_ROLES, type USER_STATUSES } from '../../common/enums.ts';
import { id, optionalName, timestamp, updateInput, oneOf } from './api-schemas.ts';
import { password, username } from './auth-router.ts';
import { procedure, router, signedIn } from './trpc.ts';

const email = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
  z.email('must be an e-mail address').max(255).nullish(),
);
const byId = z.object({ id });

const accountFields = z.object({
  role: oneOf(USER_ROLES),
  /** LOCKED is set and lifted with lock and unlock */
  status: oneOf(['ACTIVE', 'INACTIVE', 'EXPIRED'] as const satisfies readonly (typeof USER_STATUSES)[number][]),
  fullName: optionalName(255),
  email,
  /** after this moment the user must choose a new password at sign-in; null: never */
  passwordExpiresAt: timestamp.nullable(),
});

export const usersRouter = router({
  list: procedure('manage-users').query(({ ctx }) => ctx.services.users.list()),

  get: procedure('manage-users')
    .input(byId)
    .query(({ ctx, input }) => ctx.services.users.get(input.id)),

  create: procedure('manage-users')
    .input(
      accountFields.pick({ role: true, fullName: true, email: true }).extend({
        username,
        password,
        /** the user chooses their own password at first sign-in (default true) */
        mustChangePassword: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.users.create(input, signedIn(ctx).user.id)),

  /** Role, status, name, e-mail or password expiry; a user who stops being ACTIVE is signed out. */
  update: procedure('manage-users')
    .input(updateInput(accountFields))
    .mutation(({ ctx, input: { id: userId, ...patch } }) => ctx.services.users.update(userId, patch)),

  /** Locks the account until an ADMIN unlocks it, and ends its sessions. */
  lock: procedure('manage-users')
    .input(byId)
    .mutation(({ ctx, input }) => ctx.services.users.lock(input.id)),

  /** Lifts a lock, including a lockout after failed sign-ins. */
  unlock: procedure('manage-users')
    .input(byId)
    .mutation(({ ctx, input }) => ctx.services.users.unlock(input.id)),

  /** Sets a temporary password that the user must change at the next sign-in; ends their sessions. */
  resetPassword: procedure('manage-users')
    .input(z.object({ id, newPassword: password }))
    .mutation(({ ctx, input }) => ctx.services.users.resetPassword(input.id, input.newPassword)),

  sessions: procedure('manage-users')
    .input(byId)
    .query(({ ctx, input }) => ctx.services.users.activeSessions(input.id)),

  revokeSessions: procedure('manage-users')
    .input(byId)
    .mutation(async ({ ctx, input }) => ({ revoked: await ctx.services.users.revokeSessions(input.id) })),

  delete: procedure('manage-users')
    .input(byId)
    .mutation(({ ctx, input }) => ctx.services.users.delete(input.id, signedIn(ctx).user.id)),
});
