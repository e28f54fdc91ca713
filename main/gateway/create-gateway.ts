// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config/gateway-config.ts';
import { openDatabase } from '../db/database.ts';
import { createApiServices, type ApiServices, type ApiServicesOptions } from '../api/api-services.ts';

/** The gateway is the API's services plus what only the composition root handles. */
export interface Gateway extends ApiServices {
  config: GatewayConfig;
  folders: DataFolders;
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
  const services = createApiServices(database, options);
  await services.auth.purgeEndedSessions();
  let stopping: Promise<void> | undefined;
  return {
    config,
    folders,
    ...services,
    stop() {
      stopping ??= database.close().finally(() => lock.release());
      return stopping;
    },
  };
}
