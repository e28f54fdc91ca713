// Drivers: the registry of installed protocol drivers, the driver configurations, and the
// driver manager at work: what each device's polling is doing, starting and stopping it.
import { z } from 'zod';
import { PROTOCOL_KINDS, type DeviceStatus } from '../../common/enums.ts';
import { requireRecord } from '../db/database-errors.ts';
import type { Repositories } from '../db/repositories/repositories.ts';
import type { DeviceRuntime } from '../drivers/device-runner.ts';
import type { DriverManager } from '../drivers/driver-manager.ts';
import { driverConfigFields } from '../records/driver-config-record.ts';
import { id, oneOf, updateInput } from './api-schemas.ts';
import { applyToDrivers, devicesOfProtocol } from './driver-changes.ts';
import { procedure, router, signedIn } from './trpc.ts';

/** A device as the status views show it: its status and why, and what its polling is doing. */
export interface DeviceStatusView {
  deviceId: string;
  name: string;
  protocol: string;
  enabled: boolean;
  status: DeviceStatus;
  /** why, in words (empty while all is well) */
  reason: string;
  lastSeen: Date | null;
  /** polling: the runner's state; 'stopped by user'; or 'not polled' (disabled, maintenance, no driver) */
  polling: DeviceRuntime['state'] | 'stopped by user' | 'not polled';
  runtime: DeviceRuntime | null;
}

/** Every device (or those listed), its status from the driver manager when it polls it. */
export async function deviceStatuses(
  repos: Repositories,
  drivers: DriverManager,
  only?: ReadonlySet<string>,
): Promise<DeviceStatusView[]> {
  const rows = await repos.devices.list();
  const runtimes = new Map(drivers.devices().map((device) => [device.deviceId, device]));
  return rows
    .filter((row) => !only || only.has(row.id))
    .map((row) => {
      const runtime = runtimes.get(row.id);
      const { groups, deviceId, name, driverConfig, state, demoted, failures, counters } = runtime ?? {};
      return {
        deviceId: row.id,
        name: row.name,
        protocol: row.protocol,
        enabled: row.enabled,
        status: runtime?.status ?? row.status,
        reason: runtime?.reason ?? (drivers.isPaused(row.id) ? 'polling stopped by a user' : ''),
        lastSeen: runtime?.lastSeen ?? row.lastSeen,
        polling: runtime?.state ?? (drivers.isPaused(row.id) ? 'stopped by user' : 'not polled'),
        runtime: runtime
          ? ({ groups, deviceId, name, driverConfig, state, demoted, failures, counters } as DeviceRuntime)
          : null,
      };
    });
}

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
    .mutation(async ({ ctx, input }) => {
      const config = await ctx.services.repos.driverConfigs.create(input);
      await applyToDrivers(ctx, await devicesOfProtocol(ctx, config.protocol));
      return config;
    }),

  update: procedure('configure-drivers', { resourceType: 'driver_config' })
    .input(updateInput(driverConfigFields))
    .mutation(async ({ ctx, input: { id: configId, ...patch } }) => {
      const before = await ctx.services.repos.driverConfigs.get(configId);
      const config = await ctx.services.repos.driverConfigs.update(configId, patch);
      const affected = new Set(await devicesOfProtocol(ctx, config.protocol));
      if (before && before.protocol !== config.protocol) {
        for (const deviceId of await devicesOfProtocol(ctx, before.protocol)) affected.add(deviceId);
      }
      await applyToDrivers(ctx, affected);
      return config;
    }),

  delete: procedure('configure-drivers', { resourceType: 'driver_config' })
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.services.repos.driverConfigs.get(input.id);
      await ctx.services.repos.driverConfigs.delete(input.id);
      if (before) await applyToDrivers(ctx, await devicesOfProtocol(ctx, before.protocol));
      return { id: input.id };
    }),
});

export const driversRouter = router({
  registry: registryRouter,
  configs: configsRouter,

  /** Whether the drivers poll, and what each device's polling is doing, with its last error in words. */
  status: procedure('read').query(async ({ ctx }) => {
    const { repos, drivers } = ctx.services;
    return { started: drivers.started, devices: await deviceStatuses(repos, drivers) };
  }),

  /** One device's status and, for each of its tags whose last value was not good, why. */
  deviceStatus: procedure('read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => {
      const { repos, drivers } = ctx.services;
      const device = requireRecord(await repos.devices.get(input.id), 'device', input.id);
      const [view] = await deviceStatuses(repos, drivers, new Set([device.id]));
      const tags = await repos.tags.list({ deviceId: device.id });
      const tagProblems = tags.flatMap((tag) => {
        const problem = drivers.tagProblem(device.id, tag.id);
        return problem ? [{ tagId: tag.id, name: tag.name, problem }] : [];
      });
      return { ...(view as DeviceStatusView), tagProblems };
    }),

  /** Starts polling every enabled device (after stop). */
  start: procedure('configure-drivers').mutation(async ({ ctx }) => {
    await ctx.services.drivers.start();
    return { started: ctx.services.drivers.started };
  }),

  /** Stops polling every device; writes are refused until start. */
  stop: procedure('configure-drivers').mutation(async ({ ctx }) => {
    await ctx.services.drivers.stop();
    return { started: ctx.services.drivers.started };
  }),

  /** Restarts polling of every device (edits apply by themselves; this starts everything afresh). */
  reload: procedure('configure-drivers').mutation(async ({ ctx }) => {
    await ctx.services.drivers.reload();
    return { started: ctx.services.drivers.started };
  }),

  /** Stops polling one device (e.g. to free its serial line) until startDevice or a restart. */
  stopDevice: procedure('configure-drivers', { resourceType: 'device' })
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const { repos, drivers } = ctx.services;
      const device = requireRecord(await repos.devices.get(input.id), 'device', input.id);
      await drivers.stopDevice(device.id, `polling stopped by ${signedIn(ctx).user.username}`);
      const [view] = await deviceStatuses(repos, drivers, new Set([device.id]));
      return view as DeviceStatusView;
    }),

  /** Polls a device stopped by stopDevice again. */
  startDevice: procedure('configure-drivers', { resourceType: 'device' })
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const { repos, drivers } = ctx.services;
      const device = requireRecord(await repos.devices.get(input.id), 'device', input.id);
      await drivers.startDevice(device.id);
      const [view] = await deviceStatuses(repos, drivers, new Set([device.id]));
      return view as DeviceStatusView;
    }),
});
