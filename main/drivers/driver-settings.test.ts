// Which driver configuration a device polls with, and the retry schedule it describes.
import { describe, expect, it } from 'vitest';
import type { Device } from '../db/repositories/devices-repository.ts';
import type { DriverConfig } from '../db/repositories/driver-configs-repository.ts';
import { assignDriverConfig, retryDelayMs } from './driver-settings.ts';

function config(name: string, protocol: string, enabled = true, scanInterval = 1000): DriverConfig {
  return {
    id: `id-${name}`,
    name,
    protocol,
    enabled,
    scanInterval,
    timeout: 2000,
    maxConcurrent: 4,
    batchSize: 50,
    maxRetries: 3,
    retryInterval: 500,
    exponentialBackoff: true,
    maxRetryInterval: 8000,
  } as DriverConfig;
}

function device(protocol: string, driverConfig?: unknown): Device {
  return { protocol, config: driverConfig === undefined ? {} : { driverConfig } } as Device;
}

const CONFIGS = [
  config('TCP slow', 'ModbusTcp', true, 5000),
  config('RTU line 1', 'ModbusRtu'),
  config('TCP fast', 'ModbusTcp', true, 200),
  config('A disabled TCP', 'ModbusTcp', false, 50),
];

describe('assignDriverConfig', () => {
  it('uses the configuration a device names', () => {
    expect(assignDriverConfig(device('ModbusTcp', 'TCP slow'), CONFIGS)).toMatchObject({
      ok: true,
      configId: 'id-TCP slow',
      settings: { name: 'TCP slow', scanIntervalMs: 5000, timeoutMs: 2000, maxRetryIntervalMs: 8000 },
    });
  });

  it('otherwise the first enabled configuration of its protocol by name, whatever the list order', () => {
    expect(assignDriverConfig(device('ModbusTcp'), CONFIGS)).toMatchObject({ ok: true, configId: 'id-TCP fast' });
    expect(assignDriverConfig(device('ModbusTcp'), [...CONFIGS].reverse())).toMatchObject({ configId: 'id-TCP fast' });
  });

  it("otherwise the seed's defaults", () => {
    expect(assignDriverConfig(device('OpcUa'), CONFIGS)).toEqual({
      ok: true,
      configId: undefined,
      settings: expect.objectContaining({ name: 'OpcUa (defaults)', scanIntervalMs: 1000, timeoutMs: 5000 }),
    });
  });

  it('says what is wrong with a configuration a device names', () => {
    expect(assignDriverConfig(device('ModbusTcp', 7), CONFIGS)).toEqual({
      ok: false,
      disabled: false,
      message: 'config.driverConfig: must be the name of a driver configuration',
    });
    expect(assignDriverConfig(device('ModbusTcp', 'Nope'), CONFIGS)).toMatchObject({
      ok: false,
      message: "config.driverConfig: no driver configuration is named 'Nope'",
    });
    expect(assignDriverConfig(device('ModbusTcp', 'RTU line 1'), CONFIGS)).toMatchObject({
      ok: false,
      message: "config.driverConfig: 'RTU line 1' is for ModbusRtu, but the device speaks ModbusTcp",
    });
    expect(assignDriverConfig(device('ModbusTcp', 'A disabled TCP'), CONFIGS)).toEqual({
      ok: false,
      disabled: true,
      message: "the driver configuration 'A disabled TCP' is disabled",
    });
  });
});

describe('retryDelayMs', () => {
  it('doubles up to the maximum when exponential, else stays', () => {
    const settings = assignDriverConfig(device('ModbusTcp', 'TCP fast'), CONFIGS);
    if (!settings.ok) throw new Error(settings.message);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(settings.settings, attempt))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    const flat = { ...settings.settings, exponentialBackoff: false };
    expect(retryDelayMs(flat, 5)).toBe(500);
  });
});
