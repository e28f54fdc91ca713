// Drivers: the registry of installed protocol drivers and the driver configurations. Starting,
// stopping and live status come with the driver manager (access level 'configure-drivers').
import { z } from 'zod';
import { PROTOCOL_KINDS } from '../../common/enums.ts';
import { requireRecord } from '../db/database-errors.ts';
import { driverConfigFields } from '../records/driver-config-record.ts';
import { id, oneOf, updateInput } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

const registryRouter = router({
  /** Installed drivers, one per protocol, with version, capabilities and load status. */
  list: procedure('read').query(({ ctx }) => ctx.services.repos.driverRegistry.list()),

  get: procedure('read')
    .input(z.object({ protocol: oneOf(PROTOCOL_KINDS) }))
    .query(async ({ ctx, input }) =>
      requireRecord(await ctx.services.repos.driverRegistry.get(input.protocol), 'driver for protocol', input.protocol),
    ),
});

const configsRouter = router({
  list: procedure('read').query(({ ctx }) => ctx.services.repos.driverConfigs.list()),

  get: procedure('read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) =>
      requireRecord(await ctx.services.repos.driverConfigs.get(input.id), 'driver configuration', input.id),
    ),

  create: procedure('configure-drivers', { resourceType: 'driver_config' })
    .input(driverConfigFields)
    .mutation(({ ctx, input }) => ctx.services.repos.driverConfigs.create(input)),

  update: procedure('configure-drivers', { resourceType: 'driver_config' })
    .input(updateInput(driverConfigFields))
    .mutation(({ ctx, input: { id: configId, ...patch } }) => ctx.services.repos.driverConfigs.update(configId, patch)),

  delete: procedure('configure-drivers', { resourceType: 'driver_config' })
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.driverConfigs.delete(input.id);
      return { id: input.id };
    }),
});

export const driversRouter = router({
  registry: registryRouter,
  configs: configsRouter,
});
