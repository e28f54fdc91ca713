// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig } from '../config/gateway-config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';

export interface Gateway {
  config: GatewayConfig;
  folders: DataFolders;
  database: DatabaseHandle;
  repos: Repositories;
  /** Stops everything in dependency order; safe to call twice. */
  stop(): Promise<void>;
}

export async function createGateway(input: GatewayConfig): Promise<Gateway> {
  const config = parseGatewayConfig(input);
  const folders = dataFolders(config.dataDir);
  const database = await openDatabase({ url: config.databaseUrl, pgliteDir: folders.pglite });
  let stopping: Promise<void> | undefined;
  return {
    config,
    folders,
    database,
    repos: repositories(database.db),
    stop() {
      stopping ??= database.close();
      return stopping;
    },
  };
}
