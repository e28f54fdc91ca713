// A driver manager with the built-in Modbus drivers (and any others a test adds) for tests: quiet logs, last_seen written
// every 100 ms, and one stop() for the manager and its lines; and the MQTT driver tests' gateway built on it.
import type { Device } from '../main/db/repositories/devices-repository.ts';
import { repositories, type Repositories } from '../main/db/repositories/repositories.ts';
import type { NewTag, Tag } from '../main/db/repositories/tags-repository.ts';
import { DriverManager } from '../main/drivers/driver-manager.ts';
import type { DriverFactory } from '../main/drivers/driver-contract.ts';
import type { FrameSink } from '../main/drivers/frame-sink.ts';
import { modbusDriverFactories } from '../main/drivers/modbus/modbus-driver-factories.ts';
import { ModbusLinePool } from '../main/drivers/modbus/modbus-line-pool.ts';
import { mqttDriverFactory } from '../main/drivers/mqtt/mqtt-driver-factory.ts';
import type { CollectingFrameSink } from './collecting-frame-sink.ts';
import { databaseBackends } from './database-backends.ts';

export interface TestDrivers {
  manager: DriverManager;
  stop(): Promise<void>;
}

export async function startTestDrivers(
  repos: Repositories,
  sink: FrameSink,
  extraFactories: readonly DriverFactory[] = [],
): Promise<TestDrivers> {
  const pool = new ModbusLinePool();
  const manager = new DriverManager({
    repos,
    sink,
    factories: [...modbusDriverFactories(pool), ...extraFactories],
    log: { info: () => undefined, warn: () => undefined },
    lastSeenRefreshMs: 100,
  });
  await manager.start();
  return {
    manager,
    async stop() {
      await manager.stop();
      await pool.closeAll();
    },
  };
}

/** One MQTT device of a test broker and its tags (tag names key `MqttTestGateway.tags`). */
export interface MqttTestDevice {
  name: string;
  config: Record<string, unknown>;
  tags: ReadonlyArray<Omit<NewTag, 'deviceId'>>;
  /** false for a device that is meant never to connect (a refused password, an untrusted certificate) */
  awaitPolling?: boolean;
}

export interface MqttTestGateway extends TestDrivers {
  repos: Repositories;
  /** by the name given in `MqttTestDevice.name` */
  devices: Record<string, Device>;
  /** by tag name, over all devices */
  tags: Record<string, Tag>;
  /** the driver manager's state of one device ('polling', 'failed'…) */
  stateOf(deviceId: string): string | undefined;
  /** the driver manager's reason (last error in words) of one device */
  reasonOf(deviceId: string): string | undefined;
}

/**
 * The MQTT driver tests' gateway: a database of the first backend, an MQTT driver configuration,
 * the given devices on `brokerUrl` with their tags, and the driver manager with the MQTT driver,
 * returned once every device that should connect is polling. `stop()` also closes the database.
 */
export async function startMqttTestGateway(
  sink: CollectingFrameSink,
  brokerUrl: string,
  devices: readonly MqttTestDevice[],
  { retryIntervalMs = 100 }: { retryIntervalMs?: number } = {},
): Promise<MqttTestGateway> {
  const handle = await databaseBackends()[0]!.open();
  try {
    const repos = repositories(handle.db);
    await repos.driverConfigs.create({
      name: 'MQTT test',
      protocol: 'Mqtt',
      connectionType: 'tcp',
      timeout: 2000,
      retryInterval: retryIntervalMs,
      maxRetryInterval: 500,
    });
    const byName: Record<string, Device> = {};
    const tags: Record<string, Tag> = {};
    for (const spec of devices) {
      const device = await repos.devices.create({
        name: spec.name,
        protocol: 'Mqtt',
        endpoint: brokerUrl,
        config: { mqtt: spec.config },
      });
      byName[spec.name] = device;
      const rows = await repos.tags.createMany(spec.tags.map((tag) => ({ ...tag, deviceId: device.id })));
      for (const row of rows) tags[row.name] = row;
    }
    const drivers = await startTestDrivers(repos, sink, [mqttDriverFactory()]);
    const statusOf = (deviceId: string) => drivers.manager.devices().find((d) => d.deviceId === deviceId);
    const gateway: MqttTestGateway = {
      manager: drivers.manager,
      repos,
      devices: byName,
      tags,
      stateOf: (deviceId) => statusOf(deviceId)?.state,
      reasonOf: (deviceId) => statusOf(deviceId)?.reason,
      async stop() {
        await drivers.stop();
        await handle.close();
      },
    };
    try {
      for (const spec of devices) {
        if (spec.awaitPolling === false) continue;
        const id = byName[spec.name]!.id;
        await sink.until(() => gateway.stateOf(id) === 'polling', `${spec.name} to subscribe`, 15_000);
      }
    } catch (error) {
      await drivers.stop();
      throw error;
    }
    return gateway;
  } catch (error) {
    await handle.close();
    throw error;
  }
}
