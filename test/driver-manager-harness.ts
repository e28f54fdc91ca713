// A driver manager with the built-in Modbus drivers (and any others a test adds) for tests: quiet logs, last_seen written
// every 100 ms, and one stop() for the manager and its lines.
import type { Repositories } from '../main/db/repositories/repositories.ts';
import { DriverManager } from '../main/drivers/driver-manager.ts';
import type { DriverFactory } from '../main/drivers/driver-contract.ts';
import type { FrameSink } from '../main/drivers/frame-sink.ts';
import { modbusDriverFactories } from '../main/drivers/modbus/modbus-driver-factories.ts';
import { ModbusLinePool } from '../main/drivers/modbus/modbus-line-pool.ts';

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
