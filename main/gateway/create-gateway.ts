// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { FrameBus } from '../bus/frame-bus.ts';
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config/gateway-config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/repositories.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { type FrameWal, openFrameWal } from '../wal/frame-wal.ts';
import { openRocksDbStorage } from '../wal/rocksdb-storage.ts';

export interface Gateway {
  config: GatewayConfig;
  folders: DataFolders;
  database: DatabaseHandle;
  repos: Repositories;
  /** Every value, command and event moves through the bus (README: "Using the frame bus"). */
  bus: FrameBus;
  /** The write-ahead log behind the bus: durable consumers, retention, metrics. */
  wal: FrameWal;
  /** Stops everything in dependency order; safe to call twice. */
  stop(): Promise<void>;
}

export async function createGateway(input: GatewayConfigInput): Promise<Gateway> {
  const config = parseGatewayConfig(input);
  const folders = dataFolders(config.dataDir);

  // --- frame bus and write-ahead log ---
  // The WAL reports its system events through the bus that is built on top of it.
  const eventsTo: { bus?: FrameBus } = {};
  const onWalEvent = (event: SystemEventInput): void => {
    if (event.severity === 'critical' || event.severity === 'fatal') console.error(`[${event.code}] ${event.message}`);
    try {
      eventsTo.bus?.publishSystemEvent(event);
    } catch {
      // the bus is closing: the console line above is all that can be done
    }
  };
  const wal = await openFrameWal({
    storage: await openRocksDbStorage(folders.wal),
    durability: config.wal.durability,
    groupCommitMs: config.wal.groupCommitMs,
    retention: { retentionMs: config.wal.retentionHours * 3_600_000, maxSizeBytes: config.wal.maxSizeMb * 1024 * 1024 },
    onEvent: onWalEvent,
  });
  const bus = new FrameBus({ wal });
  eventsTo.bus = bus;
  const frames = { bus, wal };

  let database: DatabaseHandle;
  try {
    database = await openDatabase({ url: config.databaseUrl, pgliteDir: folders.pglite });
  } catch (error) {
    await bus.close();
    await wal.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    config,
    folders,
    database,
    repos: repositories(database.db),
    ...frames,
    stop() {
      // Producers stop first; the WAL writes what it holds (and its consumers confirm what they
      // can) before the databases those consumers write to go away.
      stopping ??= (async () => {
        await frames.bus.close();
        await frames.wal.close();
        await database.close();
      })();
      return stopping;
    },
  };
}
