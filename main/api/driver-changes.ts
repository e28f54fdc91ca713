// Edits take effect without a restart: after a committed change to devices, tags or driver
// configurations, the devices it affects restart their polling with what the database now holds
// (the others poll on). The change stays committed when that fails; drivers.reload tries again.
import { consoleDriverLog } from '../drivers/driver-log.ts';
import type { ResolvedContext } from './api-context.ts';

/** The devices to restart, or every device (an import, which may touch any of them). */
export type AffectedDevices = Iterable<string> | 'all';

export async function applyToDrivers(ctx: ResolvedContext, affected: AffectedDevices): Promise<void> {
  const { drivers } = ctx.services;
  try {
    if (affected === 'all') {
      if (drivers.started) await drivers.reload();
    } else {
      await drivers.applyDeviceChanges(affected);
    }
  } catch (error) {
    consoleDriverLog.warn(`A change was saved but polling did not restart with it: ${(error as Error).message}`);
  }
}

/** The devices that speak `protocol`: a driver configuration for it may apply to any of them. */
export async function devicesOfProtocol(ctx: ResolvedContext, protocol: string): Promise<string[]> {
  const devices = await ctx.services.repos.devices.list();
  return devices.filter((device) => device.protocol === protocol).map((device) => device.id);
}
