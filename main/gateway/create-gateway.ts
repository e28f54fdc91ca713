// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { createApiServices, type ApiServices, type ApiServicesOptions } from '../api/api-services.ts';
import { busFrameSink } from '../bus/bus-frame-sink.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import type { Subscription } from '../bus/subscription.ts';
import { lockDataFolder } from '../config/data-folder-lock.ts';
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config/gateway-config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { DriverManager } from '../drivers/driver-manager.ts';
import { ModbusCommissioning } from '../drivers/modbus/modbus-commissioning.ts';
import { modbusDriverFactories } from '../drivers/modbus/modbus-driver-factories.ts';
import { ModbusLinePool } from '../drivers/modbus/modbus-line-pool.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { startDemoProfile, type DemoProfile } from '../simulator/demo-profile.ts';
import { type FrameWal, openFrameWal } from '../wal/frame-wal.ts';
import { openRocksDbStorage } from '../wal/rocksdb-storage.ts';

/** The gateway is the API's services plus what only the composition root handles. */
export interface Gateway extends ApiServices {
  config: GatewayConfig;
  folders: DataFolders;
  /** Every value, command and event moves through the bus (README: "Using the frame bus"). */
  bus: FrameBus;
  /** The write-ahead log behind the bus: durable consumers, retention, metrics. */
  wal: FrameWal;
  /** The field drivers, publishing into the bus; CommandFrames on the bus reach them. */
  drivers: DriverManager;
  /** One-off Modbus reads and writes and their traffic log, on the drivers' lines. */
  commissioning: ModbusCommissioning;
  /** The demo simulator and its devices, when the demo profile plays (config.demo). */
  demo: DemoProfile | undefined;
  /** Stops everything in dependency order; safe to call twice. */
  stop(): Promise<void>;
}

/** Undoes, in reverse order, what a half-built gateway has started when a later step fails. */
type Closer = () => Promise<void> | void;

export async function createGateway(input: GatewayConfigInput, options: ApiServicesOptions = {}): Promise<Gateway> {
  const config = parseGatewayConfig(input);
  const folders = dataFolders(config.dataDir);
  const closers: Closer[] = [];
  const closeAll = async (): Promise<void> => {
    let failure: unknown;
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failure ??= error; // the rest must still close
      }
    }
    if (failure !== undefined) throw failure;
  };
  const lock = lockDataFolder(folders.root);
  closers.push(() => lock.release());
  try {
    // Opened first, closed last: the WAL's consumers may still write to it while closing.
    const database: DatabaseHandle = await openDatabase({ url: config.databaseUrl, pgliteDir: folders.pglite });
    closers.push(() => database.close());
    const services = createApiServices(database, options);
    await services.auth.purgeEndedSessions();

    // --- frame bus and write-ahead log ---
    // The WAL reports its system events through the bus that is built on top of it.
    const eventsTo: { bus?: FrameBus } = {};
    const onWalEvent = (event: SystemEventInput): void => {
      if (event.severity === 'critical' || event.severity === 'fatal')
        console.error(`[${event.code}] ${event.message}`);
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
      retention: {
        retentionMs: config.wal.retentionHours * 3_600_000,
        maxSizeBytes: config.wal.maxSizeMb * 1024 * 1024,
      },
      onEvent: onWalEvent,
    });
    closers.push(() => wal.close());
    const bus = new FrameBus({ wal });
    eventsTo.bus = bus;
    // Producers stop before the WAL, which writes what it holds before the database goes away.
    closers.push(() => bus.close());

    // --- drivers ---
    // Every Modbus line (serial port, TCP endpoint) is shared by the drivers and the
    // commissioning tools through one pool.
    const modbusLines = new ModbusLinePool();
    closers.push(() => modbusLines.closeAll());
    // The demo simulator must be listening, and the demo devices point at it, before the drivers start.
    const demo = config.demo ? await startDemoProfile(database.db) : undefined;
    if (demo) closers.push(() => demo.stop());
    const drivers = new DriverManager({
      repos: services.repos,
      sink: busFrameSink(bus),
      factories: modbusDriverFactories(modbusLines),
    });
    await drivers.start();
    closers.push(() => drivers.stop());
    // Tag writes arrive on the bus as CommandFrames; the acknowledgement goes back on the bus.
    const commandRouter: Subscription = bus.subscribe({ name: 'command-router', types: ['command'] }, (frame) => {
      if (frame.type === 'command') void drivers.handleCommand(frame.payload);
    });
    closers.push(() => commandRouter.unsubscribe());

    let stopping: Promise<void> | undefined;
    return {
      config,
      folders,
      ...services,
      bus,
      wal,
      drivers,
      commissioning: new ModbusCommissioning(modbusLines),
      demo,
      stop() {
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
