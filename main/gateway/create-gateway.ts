// The composition root: builds a running gateway from its configuration. It knows nothing of
// Electron or HTTP; the Electron shell, the headless server, tests and benchmarks all call it.
import { AlertEngine } from '../alerts/alert-engine.ts';
import { createAccountServices, type ApiServices, type ApiServicesOptions } from '../api/api-services.ts';
import { busFrameSink } from '../bus/bus-frame-sink.ts';
import { FrameBus } from '../bus/frame-bus.ts';
import type { Subscription } from '../bus/subscription.ts';
import { lockDataFolder, type DataFolderLock } from '../config/data-folder-lock.ts';
import { dataFolders, type DataFolders } from '../config/data-folders.ts';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config/gateway-config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { DriverManager } from '../drivers/driver-manager.ts';
import { ModbusCommissioning } from '../drivers/modbus/modbus-commissioning.ts';
import { modbusDriverFactories } from '../drivers/modbus/modbus-driver-factories.ts';
import { ModbusLinePool } from '../drivers/modbus/modbus-line-pool.ts';
import { opcUaDriverFactory } from '../drivers/opcua/opcua-driver-factory.ts';
import { mqttDriverFactory } from '../drivers/mqtt/mqtt-driver-factory.ts';
import { MqttNorthbound, repositoryTopicNames } from '../drivers/mqtt/mqtt-northbound.ts';
import { pluginDriverFactory } from '../drivers/plugins/plugin-driver-factory.ts';
import { consoleDriverLog } from '../drivers/driver-log.ts';
import type { SystemEventInput } from '../frames/system-event.ts';
import { LastValueCache } from '../live/last-value-cache.ts';
import { EventLoopMonitor } from '../metrics/event-loop-monitor.ts';
import type { StartStage } from './gateway-startup.ts';
import type { Historian } from '../historian/historian.ts';
import { startHistorian } from '../historian/start-historian.ts';
import { SystemMetricsRecorder } from '../historian/system-metrics-recorder.ts';
import { startDemoProfile, type DemoProfile } from '../simulator/demo-profile.ts';
import { TagWriter } from '../tags/tag-writer.ts';
import { openFrameWal } from '../wal/frame-wal.ts';
import { openRocksDbStorage } from '../wal/rocksdb-storage.ts';

/** The gateway is the API's services plus what only the composition root handles. */
export interface Gateway extends ApiServices {
  config: GatewayConfig;
  folders: DataFolders;
  /** History of every value: InfluxDB or the embedded store; trends (README: "Historian"). */
  historian: Historian;
  /** The demo simulator and its devices, when the demo profile plays (config.demo). */
  demo: DemoProfile | undefined;
  /** Stops everything in dependency order; safe to call twice. */
  stop(): Promise<void>;
}

/** Undoes, in reverse order, what a half-built gateway has started when a later step fails. */
type Closer = () => Promise<void> | void;

export interface GatewayOptions extends ApiServicesOptions {
  /** An open database to use instead of the configured one (tests); the gateway closes it. */
  database?: DatabaseHandle;
  /** The data folder's lock, when the caller took it to open the database early; released on stop. */
  lock?: DataFolderLock;
  /** Told as each stage of the start begins (the sign-in page shows it: gateway-startup.ts). */
  onStage?: (stage: StartStage) => void;
}

export async function createGateway(input: GatewayConfigInput, options: GatewayOptions = {}): Promise<Gateway> {
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
  const stage = options.onStage ?? (() => undefined);
  const lock = options.lock ?? lockDataFolder(folders.root);
  closers.push(() => lock.release());
  try {
    // Opened first, closed last: the WAL's consumers may still write to it while closing.
    const database: DatabaseHandle =
      options.database ?? (await openDatabase({ url: config.databaseUrl, pgliteDir: folders.pglite }));
    closers.push(() => database.close());
    const services = createAccountServices(database, { ...options, pkiDir: folders.pki, pluginsDir: folders.plugins });
    await services.auth.purgeEndedSessions();
    closers.push(() => services.opcua.pki.dispose());
    closers.push(() => services.opcua.commissioning.close());

    // --- frame bus and write-ahead log ---
    stage('wal');
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

    // --- live values and tag writes (the API's streams and tags.write) ---
    // Subscribed before the drivers start, so that the first values are cached too.
    const lastValues = new LastValueCache(bus);
    const tagWriter = new TagWriter(bus);
    closers.push(() => tagWriter.close());
    closers.push(() => lastValues.close());
    const eventLoop = new EventLoopMonitor();
    closers.push(() => eventLoop.close());

    // --- historian ---
    stage('historian');
    // A durable WAL consumer; it stops before the bus and the WAL (what it has not confirmed
    // stays in the WAL for the next start).
    const historian = await startHistorian({
      config: config.historian,
      seriesFolder: folders.series,
      repos: services.repos,
      wal,
      bus,
    });
    closers.push(() => historian.stop());

    // --- alert engine ---
    stage('alerts');
    // After the database and the bus, before the drivers (it sees their first values); closers
    // run in reverse, so it stops before the bus closes. Its alert EventFrames reach the
    // historian's alert_events through the WAL, like every other frame.
    const alerts = new AlertEngine({
      db: database.db,
      bus,
      wal,
      clock: services.clock,
      onProblem: (message) => console.error(`[alerts] ${message}`),
    });
    await alerts.start();
    closers.push(() => alerts.stop());
    services.alerts = alerts;

    // --- MQTT northbound: a durable consumer of the WAL, like the historian ---
    stage('drivers');
    if (config.mqttNorthbound) {
      const northbound = new MqttNorthbound(config.mqttNorthbound, repositoryTopicNames(services.repos));
      await northbound.start(wal);
      closers.push(() => northbound.stop());
    }

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
      factories: [
        ...modbusDriverFactories(modbusLines),
        opcUaDriverFactory(services.opcua.pki),
        mqttDriverFactory(),
        pluginDriverFactory(services.repos, consoleDriverLog),
      ],
    });
    await drivers.start();
    closers.push(() => drivers.stop());
    // Tag writes arrive on the bus as CommandFrames; the acknowledgement goes back on the bus.
    const commandRouter: Subscription = bus.subscribe({ name: 'command-router', types: ['command'] }, (frame) => {
      if (frame.type === 'command') void drivers.handleCommand(frame.payload);
    });
    closers.push(() => commandRouter.unsubscribe());

    // --- system metrics (into the historian's system_metrics) ---
    const systemMetrics = new SystemMetricsRecorder(
      { bus, wal, drivers },
      (points) => historian.writeSystemMetrics(points),
      config.historian.systemMetricsSeconds * 1000,
    );
    systemMetrics.start();
    closers.push(() => systemMetrics.stop());

    let stopping: Promise<void> | undefined;
    return {
      config,
      folders,
      ...services,
      bus,
      wal,
      historian,
      drivers,
      commissioning: new ModbusCommissioning(modbusLines),
      lastValues,
      tagWriter,
      eventLoop,
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
