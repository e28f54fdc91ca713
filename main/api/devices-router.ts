// Devices: the field devices the gateway polls, with their CSV/JSON import and export.
import { z } from 'zod';
import { requireRecord } from '../db/database-errors.ts';
import { deviceFields, deviceFilter } from '../records/device-record.ts';
import { exportDevices, importDevices } from '../transfer/device-transfer.ts';
import { eventView } from '../live/frame-views.ts';
import { id, updateInput } from './api-schemas.ts';
import { applyToDrivers } from './driver-changes.ts';
import { deviceStatuses, type DeviceStatusView } from './drivers-router.ts';
import { liveStream } from './live-stream.ts';
import { exportFileName, importInput, exportInput, runImport } from './transfer-procedures.ts';
import { procedure, router, signedIn } from './trpc.ts';

export interface DeviceStatusChangeView {
  deviceId: string;
  status: string;
  previousStatus: string;
  reason: string;
  time: Date;
}

/** What devices.live sends: every device's status first, then the changes as they happen. */
export type DeviceStatusMessage =
  { kind: 'snapshot'; devices: DeviceStatusView[] } | { kind: 'changes'; changes: DeviceStatusChangeView[] };

export const devicesRouter = router({
  /**
   * Device status, live: the status of every device (or those listed) with its polling state,
   * then each status change (Online, Offline, Error, …) with its reason. Ends with the session.
   */
  live: procedure('read')
    .input(z.object({ deviceIds: z.array(id).max(1_000, 'at most 1,000 devices per stream').default([]) }).prefault({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const { bus, repos, drivers } = ctx.services;
      const only = input.deviceIds.length > 0 ? new Set(input.deviceIds) : undefined;
      yield* liveStream<DeviceStatusMessage>(
        ctx,
        signal,
        (push) =>
          bus.subscribeCoalesced(
            { name: `api devices.live (${signedIn(ctx).user.username})`, types: ['event'], deviceIds: only },
            (frames) => {
              const changes: DeviceStatusChangeView[] = [];
              for (const frame of frames) {
                const view = frame.type === 'event' ? eventView(frame) : undefined;
                if (view?.kind === 'deviceStatus') changes.push({ ...view.deviceStatus, time: view.time });
              }
              return changes.length > 0 ? push({ kind: 'changes', changes }) : undefined;
            },
          ),
        async () => ({ kind: 'snapshot', devices: await deviceStatuses(repos, drivers, only) }),
      );
    }),

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
    .mutation(async ({ ctx, input }) => {
      const { username } = signedIn(ctx).user;
      const device = await ctx.services.repos.devices.create({ ...input, createdBy: username, updatedBy: username });
      await applyToDrivers(ctx, [device.id]);
      return device;
    }),

  update: procedure('configure-devices')
    .input(updateInput(deviceFields))
    .mutation(async ({ ctx, input: { id: deviceId, ...patch } }) => {
      const device = await ctx.services.repos.devices.update(deviceId, {
        ...patch,
        updatedBy: signedIn(ctx).user.username,
      });
      await applyToDrivers(ctx, [device.id]);
      return device;
    }),

  /** Deletes the device with its tags and alert rules; its alert history stays. */
  delete: procedure('configure-devices')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.repos.devices.delete(input.id);
      await applyToDrivers(ctx, [input.id]);
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
    .mutation(async ({ ctx, input }) => {
      const report = await runImport(ctx, () =>
        importDevices(ctx.services.database.db, input.format, input.content, {
          replaceExisting: input.replaceExisting,
          username: signedIn(ctx).user.username,
        }),
      );
      if (report.applied) await applyToDrivers(ctx, 'all');
      return report;
    }),
});
