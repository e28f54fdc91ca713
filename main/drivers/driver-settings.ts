// A device's performance and retry settings come from a `driver_configs` row: the one its
// config names (`config.driverConfig`), else the first enabled row of its protocol by name, else the seed's
// column defaults. Also the retry schedule those settings describe.
import { defaultDriverConfigFor } from '../../common/default-driver-config.ts';
import type { DriverConfig } from '../db/repositories/driver-configs-repository.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import type { DriverSettings } from './driver-contract.ts';

/** The seed's defaults for driver_configs (§2.4), for devices with no configuration row. */
export function defaultDriverSettings(protocol: string): DriverSettings {
  return {
    name: `${protocol} (defaults)`,
    scanIntervalMs: 1000,
    timeoutMs: 5000,
    maxConcurrent: 10,
    batchSize: 100,
    maxRetries: 3,
    retryIntervalMs: 1000,
    exponentialBackoff: true,
    maxRetryIntervalMs: 30000,
  };
}

export function settingsOf(row: DriverConfig): DriverSettings {
  return {
    name: row.name,
    scanIntervalMs: row.scanInterval,
    timeoutMs: row.timeout,
    maxConcurrent: row.maxConcurrent,
    batchSize: row.batchSize,
    maxRetries: Math.max(1, row.maxRetries),
    retryIntervalMs: Math.max(1, row.retryInterval),
    exponentialBackoff: row.exponentialBackoff,
    maxRetryIntervalMs: Math.max(row.retryInterval, row.maxRetryInterval),
  };
}

export type DriverAssignment =
  | { ok: true; configId: string | undefined; settings: DriverSettings }
  | { ok: false; disabled: boolean; message: string };

export function assignDriverConfig(device: Device, configs: readonly DriverConfig[]): DriverAssignment {
  const named = device.config.driverConfig;
  if (named !== undefined) {
    if (typeof named !== 'string') {
      return { ok: false, disabled: false, message: 'config.driverConfig: must be the name of a driver configuration' };
    }
    const row = configs.find((config) => config.name === named);
    if (!row) {
      return {
        ok: false,
        disabled: false,
        message: `config.driverConfig: no driver configuration is named '${named}'`,
      };
    }
    if (row.protocol !== device.protocol) {
      return {
        ok: false,
        disabled: false,
        message: `config.driverConfig: '${named}' is for ${row.protocol}, but the device speaks ${device.protocol}`,
      };
    }
    if (!row.enabled) {
      return { ok: false, disabled: true, message: `the driver configuration '${named}' is disabled` };
    }
    return { ok: true, configId: row.id, settings: settingsOf(row) };
  }
  const row = defaultDriverConfigFor(device.protocol, configs);
  return row
    ? { ok: true, configId: row.id, settings: settingsOf(row) }
    : { ok: true, configId: undefined, settings: defaultDriverSettings(device.protocol) };
}

/** The wait before retry number `attempt` (1, 2, …): doubling up to the maximum when exponential. */
export function retryDelayMs(settings: DriverSettings, attempt: number): number {
  if (!settings.exponentialBackoff) return settings.retryIntervalMs;
  const factor = 2 ** Math.min(30, Math.max(0, attempt - 1));
  return Math.min(settings.maxRetryIntervalMs, settings.retryIntervalMs * factor);
}
