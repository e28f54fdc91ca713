// The audit trail, for ADMINs: every change, sign-in, failed sign-in, sign-out and export.
import { z } from 'zod';
import { id, limit, offset, text, timestamp } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

export const auditRouter = router({
  /** Entries newest first, filtered by user, action, resource, outcome and time. */
  query: procedure('read-audit')
    .input(
      z
        .object({
          userId: id.optional(),
          /** the acting user's name (found also after the account was deleted) */
          username: text(255).optional(),
          /** action prefix, e.g. "devices." or "auth.login" */
          action: text(100).optional(),
          resourceType: text(100).optional(),
          resourceId: id.optional(),
          success: z.boolean().optional(),
          from: timestamp.optional(),
          to: timestamp.optional(),
          limit: limit(1_000, 200),
          offset,
        })
        .optional(),
    )
    .query(({ ctx, input }) => {
      const { action, ...filter } = input ?? { limit: 200, offset: 0 };
      return ctx.services.audit.query({ ...filter, actionPrefix: action });
    }),
});
