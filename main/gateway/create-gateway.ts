// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { createApiServices, type ApiServices, type ApiServicesOptions } from '../api/api-services.ts';
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config/gateway-config.ts';
import { openDatabase } from '../db/database.ts';
import { DriverManager } from '../drivers/driver-manager.ts';
import type { FrameSink } from '../drivers/frame-sink.ts';
import { ModbusCommissioning } from '../drivers/modbus/modbus-commissioning.ts';
import { modbusDriverFactories } from '../drivers/modbus/modbus-driver-factories.ts';
import { ModbusLinePool } from '../drivers/modbus/modbus-line-pool.ts';
import { opcUaDriverFactory } from '../drivers/opcua/opcua-driver-factory.ts';

/** The gateway is the API's services plus what only the composition root handles. */
export interface Gateway extends ApiServices {
  config: GatewayConfig;
  folders: DataFolders;
  /** One-off Modbus reads and writes and their traffic log, on the drivers' lines. */
  commissioning: ModbusCommissioning;
  /**
   * Starts the field drivers, publishing into `sink` (the frame bus); CommandFrames go to the
   * returned manager's handleCommand(). Once only: a second call returns the same manager.
   */
  startDrivers(sink: FrameSink): Promise<DriverManager>;
  /** Stops everything in dependency order; safe to call twice. */
  stop(): Promise<void>;
}

export async function createGateway(input: GatewayConfigInput, options: ApiServicesOptions = {}): Promise<Gateway> {
  const config = parseGatewayConfig(input);
  const folders = dataFolders(config.dataDir);
  const lock = lockDataFolder(folders.root);
  const database = await openDatabase({ url: config.databaseUrl, pgliteDir: folders.pglite }).catch(
    (error: unknown) => {
      lock.release();
      throw error;
    },
  );
  const services = createApiServices(database, { ...options, pkiDir: folders.pki });
  await services.auth.purgeEndedSessions();
  // Drivers: every Modbus line (serial port, TCP endpoint) is shared by the drivers and the
  // commissioning tools through one pool.
  const modbusLines = new ModbusLinePool();
  let drivers: Promise<DriverManager> | undefined;
  let stopping: Promise<void> | undefined;
  return {
    config,
    folders,
    ...services,
    commissioning: new ModbusCommissioning(modbusLines),
    startDrivers(sink) {
      drivers ??= (async () => {
        const manager = new DriverManager({
          repos: services.repos,
          sink,
          factories: [...modbusDriverFactories(modbusLines), opcUaDriverFactory(services.opcua.pki)],
        });
        await manager.start();
        return manager;
      })();
      return drivers;
    },
    stop() {
      stopping ??= (async () => {
        await (await drivers?.catch(() => undefined))?.stop();
        await modbusLines.closeAll();
        await services.opcua.commissioning.close();
        await services.opcua.pki.dispose();
        await database.close();
      })().finally(() => lock.release());
      return stopping;
    },
  };
}
