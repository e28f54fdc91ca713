// Devices: the field devices the gateway polls, with their CSV/JSON import and export.
import { z } from 'zod';
import { requireRecord } from '../db/database-errors.ts';
import { deviceFields, deviceFilter } from '../records/device-record.ts';
import { exportDevices, importDevices } from '../transfer/device-transfer.ts';
import { id, updateInput } from './api-schemas.ts';
import { exportFileName, importInput, exportInput, runImport } from './transfer-procedures.ts';
import { procedure, router, signedIn } from './trpc.ts';

export const devicesRouter = router({
  list: procedure('read')
    .input(deviceFilter.optional())
    .query(({ ctx, input }) => ctx.services.repos.devices.list(input)),

  /** Every device with its tag and active alert counts (the seed's device_overview view). */
  overview: procedure('read').query(({ ctx }) => ctx.services.repos.devices.overview()),

  get: procedure('read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => requireRecord(await ctx.services.repos.devices.get(input.id), 'device', input.id)),

  create: procedure('configure-devices')
    .input(deviceFields)
    .mutation(({ ctx, input }) => {
      const { username } = signedIn(ctx).user;
      return ctx.services.repos.devices.create({ ...input, createdBy: username, updatedBy: username });
    }),

  update: procedure('configure-devices')
    .input(updateInput(deviceFields))
    .mutation(({ ctx, input: { id: deviceId, ...patch } }) =>
      ctx.services.repos.devices.update(deviceId, { ...patch, updatedBy: signedIn(ctx).user.username }),
    ),

  /** Deletes the device with its tags and alert rules; its alert history stays. */
  delete: procedure('configure-devices')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.devices.delete(input.id);
      return { id: input.id };
    }),

  export: procedure('read', { audit: true })
    .input(exportInput)
    .query(async ({ ctx, input }) => {
      const devices = await ctx.services.repos.devices.list();
      ctx.audit.details = { records: devices.length };
      return {
        fileName: exportFileName('devices', input.format, ctx.services.clock.now()),
        format: input.format,
        records: devices.length,
        content: exportDevices(devices, input.format),
      };
    }),

  /** All or nothing: any row with a problem and nothing changes; the report lists every problem. */
  import: procedure('configure-devices')
    .input(importInput)
    .mutation(({ ctx, input }) =>
      runImport(ctx, () =>
        importDevices(ctx.services.database.db, input.format, input.content, {
          replaceExisting: input.replaceExisting,
          username: signedIn(ctx).user.username,
        }),
      ),
    ),
});
