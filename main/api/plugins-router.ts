// Plugin drivers (the seed's Custom protocol): the registration, and registering or removing a
// vendor's module. Only administrators: a plugin is code that runs inside the gateway.
import { z } from 'zod';
import { text } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

export const pluginsRouter = router({
  /** The registered plugin driver (driver_registry row of protocol Custom), or null. */
  get: procedure('read').query(async ({ ctx }) => (await ctx.services.plugins.current()) ?? null),

  /** Registers a plugin file with the sha256 its vendor published; used from the drivers' next start. */
  register: procedure('manage-plugins', { resourceType: 'driver_registry' })
    .input(
      z.object({
        filePath: text(4096),
        fileHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a sha256 (64 hex digits)'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const registration = await ctx.services.plugins.register(input);
      ctx.audit.details = { fileHash: registration.fileHash, name: registration.name, version: registration.version };
      return registration;
    }),

  unregister: procedure('manage-plugins', { resourceType: 'driver_registry' }).mutation(async ({ ctx }) => {
    await ctx.services.plugins.unregister();
    return { protocol: 'Custom' as const };
  }),
});
