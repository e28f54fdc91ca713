// The driver manager: records the built-in drivers in driver_registry, starts one runner per
// enabled device of a protocol it has a driver for (with the settings of the device's
// driver_configs row), reports driver and device state, and routes writes (CommandFrames) to the
// device that owns the tag. Everything it learns leaves through one FrameSink.
//
// driver_status lifecycle (seed §2.4), per protocol in driver_registry: LOADED when registered at
// start, ERROR (with error_message) when the driver cannot run on this machine, RUNNING while it
// polls at least one device, STOPPED after stop(). Each driver configuration in use reports the
// same transitions as DriverStateChange events.
import type { DriverStatus, ProtocolKind } from '../../common/enums.ts';
import type { Repositories } from '../db/repositories/repositories.ts';
import type { Device } from '../db/repositories/devices-repository.ts';
import type { DriverConfig } from '../db/repositories/driver-configs-repository.ts';
import type { Tag } from '../db/repositories/tags-repository.ts';
import {
  EventKind,
  Severity,
  type CommandAckFrame,
  type CommandFrame,
  type EventFrame,
} from '../../proto/generated/frame.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { DeviceRunner, type DeviceRuntime } from './device-runner.ts';
import { DeviceStatusRecorder, type DeviceStatusSnapshot } from './device-status-recorder.ts';
import type { DriverCapabilities, DriverFactory } from './driver-contract.ts';
import { consoleDriverLog, type DriverLog } from './driver-log.ts';
import { assignDriverConfig } from './driver-settings.ts';
import type { FrameSink } from './frame-sink.ts';

/** The driver contract's version, recorded in driver_registry.api_version. */
export const DRIVER_API_VERSION = 1;

export interface DriverManagerOptions {
  repos: Repositories;
  sink: FrameSink;
  factories: readonly DriverFactory[];
  log?: DriverLog;
  /** how often last_seen of an answering device is written (default 5 s) */
  lastSeenRefreshMs?: number;
}

export interface DeviceRuntimeStatus extends DeviceRuntime, DeviceStatusSnapshot {}

interface ActiveConfig {
  driverId: string;
  protocol: ProtocolKind;
  name: string;
}

export function capabilityList(capabilities: DriverCapabilities): string[] {
  return [
    ...(capabilities.read ? ['read'] : []),
    ...(capabilities.write ? ['write'] : []),
    ...(capabilities.polling ? ['polling'] : []),
    ...capabilities.features,
  ];
}

export class DriverManager {
  private readonly runners = new Map<string, DeviceRunner>();
  private readonly active = new Map<string, ActiveConfig>();
  private readonly running = new Set<ProtocolKind>();
  /** devices whose polling a user stopped, with the reason; until startDevice() or a restart */
  private readonly paused = new Map<string, string>();
  /** the drivers that can run here, and why the others cannot (set at start) */
  private readonly usable = new Map<ProtocolKind, DriverFactory>();
  private readonly unusable = new Map<ProtocolKind, string>();
  /** one concurrency limit per driver configuration in use */
  private readonly limits = new Map<string, ConcurrencyLimit>();
  private polling = false;
  private readonly status: DeviceStatusRecorder;
  private readonly log: DriverLog;
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly options: DriverManagerOptions) {
    this.log = options.log ?? consoleDriverLog;
    this.status = new DeviceStatusRecorder(options.repos.devices, options.sink, this.log, options.lastSeenRefreshMs);
  }

  /** Registers the drivers and starts polling every enabled device. */
  start(): Promise<void> {
    return this.queue(() => this.startNow());
  }

  /** Stops polling; devices it polled become Unknown, drivers STOPPED. Safe to call twice. */
  stop(): Promise<void> {
    return this.queue(() => this.stopNow());
  }

  /** Applies changed devices, tags or driver configurations. */
  reload(): Promise<void> {
    return this.queue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  /** Whether the manager polls (between start() and stop()). */
  get started(): boolean {
    return this.polling;
  }

  /**
   * Stops polling one device until startDevice() (or the gateway's next start), e.g. to free its
   * serial line for a commissioning tool. Its status becomes Unknown with `reason`.
   */
  stopDevice(deviceId: string, reason: string): Promise<void> {
    return this.queue(async () => {
      this.paused.set(deviceId, reason);
      const runner = this.runners.get(deviceId);
      if (!runner) return;
      this.runners.delete(deviceId);
      await runner.stop();
      this.status.change(deviceId, 'Unknown', reason);
      await this.status.flush();
    });
  }

  /** Polls a device stopped by stopDevice() again. */
  startDevice(deviceId: string): Promise<void> {
    return this.queue(async () => {
      if (this.paused.delete(deviceId)) await this.restartDevices(new Set([deviceId]));
    });
  }

  /**
   * Applies a change to devices, their tags or driver configurations that the named devices are
   * affected by, while the gateway polls: only those devices restart (a deleted or disabled one
   * stops). A no-op while stopped: start() reads everything anew.
   */
  applyDeviceChanges(deviceIds: Iterable<string>): Promise<void> {
    const affected = new Set(deviceIds);
    return this.queue(() => (affected.size > 0 ? this.restartDevices(affected) : Promise.resolve()));
  }

  /** Whether a user stopped this device's polling. */
  isPaused(deviceId: string): boolean {
    return this.paused.has(deviceId);
  }

  /** start/stop/reload run one after another; a failed one does not block the next. */
  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.transition.catch(() => undefined).then(step);
    this.transition = next;
    return next;
  }

  private async startNow(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const { repos, factories } = this.options;
    this.usable.clear();
    this.unusable.clear();
    for (const factory of factories) {
      const reason = await factory.unavailableReason();
      await repos.driverRegistry.upsert({
        protocol: factory.protocol,
        name: factory.name,
        version: factory.version,
        description: factory.description,
        apiVersion: factory.apiVersion ?? DRIVER_API_VERSION,
        capabilities: capabilityList(factory.capabilities),
        metadata: { builtIn: true, dataTypes: [...factory.capabilities.dataTypes], ...factory.metadata },
        status: reason ? 'ERROR' : 'LOADED',
        errorMessage: reason ?? null,
      });
      if (reason) {
        this.unusable.set(factory.protocol, reason);
        this.announceDriver(factory.protocol, factory.protocol, 'ERROR', reason);
      } else {
        this.usable.set(factory.protocol, factory);
        this.announceDriver(factory.protocol, factory.protocol, 'LOADED', '');
      }
    }

    const [configs, devices, tags] = await Promise.all([
      repos.driverConfigs.list(),
      repos.devices.list(),
      repos.tags.list({ enabled: true }),
    ]);
    const tagsByDevice = new Map<string, Tag[]>();
    for (const tag of tags) {
      let list = tagsByDevice.get(tag.deviceId);
      if (!list) tagsByDevice.set(tag.deviceId, (list = []));
      list.push(tag);
    }
    const started: DeviceRunner[] = [];
    for (const device of devices) {
      const runner = this.prepareDevice(device, tagsByDevice.get(device.id) ?? [], configs);
      if (runner) started.push(runner);
    }
    for (const protocol of this.running) await this.setRegistryStatus(protocol, 'RUNNING');
    for (const config of this.active.values()) this.announceDriver(config.driverId, config.protocol, 'RUNNING', '');
    for (const runner of started) runner.start();
    this.log.info(`polling ${this.runners.size} device(s)`);
  }

  /**
   * Sets up the polling of one device as its row, tags and the driver configurations say: a
   * runner (returned, not started yet), or its status with the reason it is not polled.
   */
  private prepareDevice(device: Device, tags: Tag[], configs: readonly DriverConfig[]): DeviceRunner | undefined {
    // Maintenance is the operator's "leave it alone": not polled, status kept.
    if (!device.enabled || device.status === 'Maintenance') return undefined;
    const problem = this.unusable.get(device.protocol);
    const factory = this.usable.get(device.protocol);
    if (!factory && !problem) return undefined; // a protocol this gateway has no driver for (yet)
    this.status.track(device);
    const pausedBecause = this.paused.get(device.id);
    if (pausedBecause !== undefined) {
      this.status.change(device.id, 'Unknown', pausedBecause);
      return undefined;
    }
    if (problem) {
      this.status.change(device.id, 'Error', `the ${device.protocol} driver cannot run here: ${problem}`);
      return undefined;
    }
    const assignment = assignDriverConfig(device, configs);
    if (!assignment.ok) {
      this.status.change(device.id, assignment.disabled ? 'Unknown' : 'Error', assignment.message);
      return undefined;
    }
    const driverId = assignment.configId ?? device.protocol;
    let limit = this.limits.get(driverId);
    if (!limit) this.limits.set(driverId, (limit = new ConcurrencyLimit(assignment.settings.maxConcurrent)));
    const runner = new DeviceRunner({
      device,
      tags,
      settings: assignment.settings,
      driver: (factory as DriverFactory).create(),
      sink: this.options.sink,
      status: this.status,
      limit,
      log: this.log,
    });
    this.runners.set(device.id, runner);
    this.active.set(driverId, { driverId, protocol: device.protocol, name: assignment.settings.name });
    this.running.add(device.protocol);
    return runner;
  }

  /**
   * Restarts the polling of the named devices with what the database holds now (their row, their
   * tags, the driver configurations); a device deleted, disabled or put in maintenance stops.
   * The other devices poll on undisturbed.
   */
  private async restartDevices(deviceIds: ReadonlySet<string>): Promise<void> {
    if (!this.polling) return;
    const { repos } = this.options;
    const stopping = [...deviceIds].flatMap((deviceId) => {
      const runner = this.runners.get(deviceId);
      this.runners.delete(deviceId);
      return runner ? [runner] : [];
    });
    await Promise.all(stopping.map((runner) => runner.stop()));
    // The stopped runners' last status writes land before the rows are read again.
    await this.status.flush();
    const configs = await repos.driverConfigs.list();
    const started: DeviceRunner[] = [];
    const runningBefore = new Set(this.running);
    for (const deviceId of deviceIds) {
      const [device, tags] = await Promise.all([
        repos.devices.get(deviceId),
        repos.tags.list({ deviceId, enabled: true }),
      ]);
      const runner = device ? this.prepareDevice(device, tags, configs) : undefined;
      if (runner) {
        started.push(runner);
      } else if (!device || device.status === 'Maintenance') {
        if (!device) this.paused.delete(deviceId);
        this.status.forget(deviceId);
      } else if (!device.enabled) {
        this.status.change(deviceId, 'Unknown', 'the device is disabled');
        await this.status.flush();
        this.status.forget(deviceId);
      }
    }
    for (const protocol of this.running) {
      if (!runningBefore.has(protocol)) await this.setRegistryStatus(protocol, 'RUNNING');
    }
    for (const runner of started) runner.start();
    this.log.info(`applied the changes of ${deviceIds.size} device(s); polling ${this.runners.size} device(s)`);
  }

  private async stopNow(): Promise<void> {
    this.polling = false;
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((runner) => runner.stop()));
    for (const runner of runners) this.status.change(runner.deviceId, 'Unknown', 'the gateway stopped polling it');
    await this.status.flush();
    for (const protocol of this.running) await this.setRegistryStatus(protocol, 'STOPPED');
    for (const config of this.active.values()) this.announceDriver(config.driverId, config.protocol, 'STOPPED', '');
    this.running.clear();
    this.active.clear();
    this.limits.clear();
  }

  private async setRegistryStatus(protocol: ProtocolKind, status: DriverStatus): Promise<void> {
    try {
      await this.options.repos.driverRegistry.setStatus(protocol, status);
    } catch (error) {
      this.log.warn(`Could not record that the ${protocol} driver is ${status}: ${(error as Error).message}`);
    }
  }

  private announceDriver(driverId: string, protocol: ProtocolKind, status: DriverStatus, error: string): void {
    const event: EventFrame = {
      kind: EventKind.EVENT_KIND_DRIVER_STATE,
      severity: status === 'ERROR' ? Severity.SEVERITY_CRITICAL : Severity.SEVERITY_INFO,
      message: error ? `The ${protocol} driver is ${status}: ${error}` : `The ${protocol} driver is ${status}`,
      detail: { $case: 'driverState', value: { driverId, protocol, status, error } },
    };
    this.publishEvent(event);
  }

  private publishEvent(event: EventFrame): void {
    try {
      void Promise.resolve(this.options.sink.publishEvent(event)).catch((error: Error) =>
        this.log.warn(`Could not publish an event: ${error.message}`),
      );
    } catch (error) {
      this.log.warn(`Could not publish an event: ${(error as Error).message}`);
    }
  }

  /**
   * Executes a write from the bus: refused for unknown devices and tags, Read tags and values
   * outside min/max; acknowledged on the sink (and returned) either way.
   */
  async handleCommand(command: CommandFrame): Promise<CommandAckFrame> {
    const runner = this.runners.get(command.deviceId);
    let ack: CommandAckFrame;
    if (!runner) {
      ack = {
        commandId: command.commandId,
        success: false,
        error: `device ${command.deviceId} is not polled by this gateway (unknown, disabled or in maintenance)`,
        actualValue: undefined,
        tagId: command.tagId,
      };
    } else {
      ack = await runner.write(command).catch((error: Error) => ({
        commandId: command.commandId,
        success: false,
        error: `the write failed: ${error.message}`,
        actualValue: undefined,
        tagId: command.tagId,
      }));
    }
    try {
      await this.options.sink.publishCommandAck(ack);
    } catch (error) {
      this.log.warn(`Could not publish the result of command ${command.commandId}: ${(error as Error).message}`);
    }
    return ack;
  }

  /** Why a tag's last value was not good, in words (a DataFrame carries only the reason code). */
  tagProblem(deviceId: string, tagId: string): string | undefined {
    return this.runners.get(deviceId)?.tagProblem(tagId);
  }

  /** What every polled device is doing now (for the API's status views). */
  devices(): DeviceRuntimeStatus[] {
    return [...this.runners.values()].map((runner) => {
      const runtime = runner.runtime();
      const snapshot = this.status.get(runtime.deviceId) ?? { status: 'Unknown' as const, reason: '', lastSeen: null };
      return { ...runtime, ...snapshot };
    });
  }
}
