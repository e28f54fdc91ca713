// Runs one device: connects with backoff, scans each scan group at its rate, publishes what
// changed, keeps the device's status, and writes. A device that stops answering is polled at
// the retry schedule instead of its scan rates after max_retries unanswered scans (demoted), so
// the other devices on a shared line keep their rate; its first answer promotes it back.
import type { Device } from '../db/repositories/devices-repository.ts';
import type { Tag } from '../db/repositories/tags-repository.ts';
import {
  Quality,
  QualityReason,
  type CommandAckFrame,
  type CommandFrame,
  type DataFrame,
} from '../../proto/generated/frame.ts';
import { toEngineering, toRawWrite, WriteValueError } from '../tags/engineering-value.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import {
  DriverError,
  type Driver,
  type DriverDevice,
  type DriverSettings,
  type DriverTag,
  type ScanGroup,
  type ScanOutcome,
} from './driver-contract.ts';
import type { DriverLog } from './driver-log.ts';
import { retryDelayMs } from './driver-settings.ts';
import type { DeviceStatusRecorder } from './device-status-recorder.ts';
import type { FrameSink } from './frame-sink.ts';
import { TagFrames } from './tag-frames.ts';

export type RunnerState = 'starting' | 'connecting' | 'polling' | 'failed' | 'stopped';

export interface DeviceRunnerDeps {
  device: Device;
  /** the device's enabled tags */
  tags: Tag[];
  settings: DriverSettings;
  driver: Driver;
  sink: FrameSink;
  status: DeviceStatusRecorder;
  limit: ConcurrencyLimit;
  log: DriverLog;
}

export interface DeviceRuntime {
  deviceId: string;
  name: string;
  driverConfig: string;
  state: RunnerState;
  /** polled at the retry schedule because it stopped answering */
  demoted: boolean;
  /** unanswered scans in a row */
  failures: number;
  groups: Array<{ id: string; intervalMs: number; tags: number }>;
  /** the driver's own counters (driver.counters()); empty when it keeps none */
  counters: Record<string, number>;
}

/** Readable tags grouped by scan rate: their scan_rate, or the configuration's scan_interval. */
export function scanGroupsOf(tags: readonly Tag[], defaultIntervalMs: number): ScanGroup[] {
  const groups = new Map<number, ScanGroup>();
  for (const tag of tags) {
    if (tag.accessType === 'Write') continue;
    const intervalMs = tag.scanRate ?? defaultIntervalMs;
    let group = groups.get(intervalMs);
    if (!group) groups.set(intervalMs, (group = { id: `${intervalMs}ms`, intervalMs, tags: [] }));
    group.tags.push(driverTagOf(tag));
  }
  return [...groups.values()].sort((a, b) => a.intervalMs - b.intervalMs);
}

function driverTagOf(tag: Tag): DriverTag {
  return { id: tag.id, name: tag.name, address: tag.address, dataType: tag.dataType, accessType: tag.accessType };
}

function driverDeviceOf(device: Device): DriverDevice {
  return {
    id: device.id,
    name: device.name,
    protocol: device.protocol,
    endpoint: device.endpoint,
    config: device.config,
  };
}

interface PollCycle {
  ended: boolean;
  lost: DriverError | undefined;
}

export class DeviceRunner {
  private state: RunnerState = 'starting';
  private stopped = false;
  private running: Promise<void> | undefined;
  private connected = false;
  private failures = 0;
  /** 0 while polled normally; n-th retry step while demoted */
  private demotion = 0;
  private publishing: Promise<void> = Promise.resolve();
  private pushCycle: PollCycle | undefined;
  private readonly wakers = new Set<() => void>();
  private readonly tags: Map<string, Tag>;
  private readonly frames: TagFrames;
  private readonly groups: ScanGroup[];

  constructor(private readonly deps: DeviceRunnerDeps) {
    this.tags = new Map(deps.tags.map((tag) => [tag.id, tag]));
    this.frames = new TagFrames(deps.device.id, this.tags);
    this.groups = scanGroupsOf(deps.tags, deps.settings.scanIntervalMs);
  }

  get deviceId(): string {
    return this.deps.device.id;
  }

  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      this.state = 'failed';
      this.deps.log.warn(
        `Polling '${this.deps.device.name}' stopped after an unexpected error: ${(error as Error).stack}`,
      );
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.wakers]) wake();
    await this.running;
    await this.deps.driver
      .shutdown()
      .catch((error: Error) => this.deps.log.warn(`Closing '${this.deps.device.name}' failed: ${error.message}`));
    await this.publishing;
    this.state = 'stopped';
  }

  /** Why one of this device's tags is not good, in words; undefined when it is good or unknown. */
  tagProblem(tagId: string): string | undefined {
    return this.frames.problemOf(tagId);
  }

  runtime(): DeviceRuntime {
    return {
      deviceId: this.deps.device.id,
      name: this.deps.device.name,
      driverConfig: this.deps.settings.name,
      state: this.state,
      demoted: this.demotion > 0,
      failures: this.failures,
      groups: this.groups.map((group) => ({ id: group.id, intervalMs: group.intervalMs, tags: group.tags.length })),
      counters: this.deps.driver.counters?.() ?? {},
    };
  }

  private async run(): Promise<void> {
    const { device, driver, settings, status } = this.deps;
    try {
      await driver.initialise({
        device: driverDeviceOf(device),
        settings,
        groups: this.groups,
        push: (outcome) => this.pushed(outcome),
      });
    } catch (error) {
      const message = error instanceof DriverError ? error.message : `cannot be set up: ${(error as Error).message}`;
      this.state = 'failed';
      status.change(device.id, 'Error', message);
      this.publish(this.frames.allBad(QualityReason.QUALITY_REASON_CONFIG_ERROR, message));
      return;
    }
    let attempt = 0;
    while (!this.stopped) {
      this.state = 'connecting';
      try {
        await driver.connect();
      } catch (error) {
        attempt++;
        const problem = error instanceof DriverError ? error : new DriverError('unreachable', (error as Error).message);
        status.change(device.id, problem.kind === 'unreachable' ? 'Offline' : 'Error', problem.message);
        this.publish(
          this.frames.allBad(
            problem.kind === 'config'
              ? QualityReason.QUALITY_REASON_CONFIG_ERROR
              : QualityReason.QUALITY_REASON_NOT_CONNECTED,
            problem.message,
          ),
        );
        if (problem.kind === 'config') {
          this.state = 'failed';
          return;
        }
        await this.sleep(retryDelayMs(settings, attempt));
        continue;
      }
      attempt = 0;
      this.connected = true;
      this.state = 'polling';
      const lost = await this.poll();
      this.connected = false;
      if (lost && !this.stopped) {
        status.change(device.id, 'Offline', lost.message);
        this.publish(this.frames.allBad(QualityReason.QUALITY_REASON_PORT_CLOSED, lost.message));
        attempt = 1;
        await this.sleep(retryDelayMs(settings, attempt));
      }
    }
  }

  /**
   * Scans every group at its rate until the connection is lost or the runner stops. A push
   * driver is not scanned: this waits while it pushes, until it reports the connection lost.
   */
  private async poll(): Promise<DriverError | undefined> {
    const cycle: PollCycle = { ended: false, lost: undefined };
    if (!this.deps.driver.capabilities().polling) {
      this.pushCycle = cycle;
      while (!this.stopped && !cycle.ended) await this.sleep(60_000);
      this.pushCycle = undefined;
      return cycle.lost;
    }
    // A device with nothing to read yet (a new device before its first tag) stays connected and
    // idle: returning at once would reconnect and poll again in a loop that starves the process.
    if (this.groups.length === 0) {
      while (!this.stopped) await this.sleep(60_000);
      return undefined;
    }
    await Promise.all(this.groups.map((group) => this.pollGroup(group, cycle)));
    return cycle.lost;
  }

  /**
   * What a push driver delivers. Values may arrive while connect() is still finishing (the first
   * notifications of a subscription); a lost connection counts only once it is connected.
   */
  private pushed(outcome: ScanOutcome): void {
    if (this.stopped) return;
    const cycle = this.pushCycle;
    if (cycle?.ended) return;
    this.accept(outcome);
    if (cycle && outcome.connectionLost) {
      cycle.lost ??= outcome.connectionLost;
      cycle.ended = true;
      for (const wake of [...this.wakers]) wake();
    }
  }

  private async pollGroup(group: ScanGroup, cycle: PollCycle): Promise<void> {
    let due = performance.now();
    while (!this.stopped && !cycle.ended) {
      const wait = due - performance.now();
      if (wait > 0) await this.sleep(wait);
      else await new Promise((resolve) => setImmediate(resolve)); // never starve the event loop
      if (this.stopped || cycle.ended) return;
      const started = performance.now();
      const outcome = await this.deps.limit.run(() => this.scanSafely(group));
      this.accept(outcome);
      if (outcome.connectionLost) {
        cycle.lost ??= outcome.connectionLost;
        cycle.ended = true;
        for (const wake of [...this.wakers]) wake();
        return;
      }
      const interval = this.demotion > 0 ? retryDelayMs(this.deps.settings, this.demotion) : group.intervalMs;
      due = Math.max(started + interval, performance.now());
    }
  }

  private async scanSafely(group: ScanGroup): Promise<ScanOutcome> {
    try {
      return await this.deps.driver.scan(group.id);
    } catch (error) {
      // A driver must not throw from scan(); if one does, the device is reported, not lost.
      this.deps.log.warn(`Scanning '${this.deps.device.name}' failed: ${(error as Error).stack}`);
      return {
        answered: false,
        readings: group.tags.map((tag) => ({
          tagId: tag.id,
          ok: false as const,
          quality: Quality.QUALITY_BAD,
          reason: QualityReason.QUALITY_REASON_DEVICE_FAILURE,
          errorCode: 0,
          message: `the driver failed: ${(error as Error).message}`,
        })),
      };
    }
  }

  private accept(outcome: ScanOutcome): void {
    const { device, settings, status, log } = this.deps;
    const failures = outcome.readings.filter(
      (reading) => !reading.ok && reading.reason !== QualityReason.QUALITY_REASON_CONFIG_ERROR,
    );
    if (outcome.answered) {
      this.failures = 0;
      if (this.demotion > 0) {
        this.demotion = 0;
        log.info(`'${device.name}' answers again: back to its normal scan rate`);
      }
      status.answered(device.id);
      if (outcome.problem) status.change(device.id, 'Online', outcome.problem);
    } else if (failures.length > 0 && !outcome.connectionLost) {
      this.failures++;
      if (this.demotion > 0) {
        this.demotion++;
      } else if (this.failures >= settings.maxRetries) {
        this.demotion = 1;
        log.info(`'${device.name}' demoted after ${this.failures} unanswered scans`);
      }
      if (this.demotion > 0) {
        const first = failures[0] as { message: string; reason: QualityReason };
        const garbled =
          first.reason === QualityReason.QUALITY_REASON_CRC_ERROR ||
          first.reason === QualityReason.QUALITY_REASON_MALFORMED_RESPONSE;
        status.change(
          device.id,
          garbled ? 'Error' : 'Offline',
          `${first.message}; it is polled less often until it answers`,
        );
      }
    }
    this.publish(this.frames.build(outcome.readings));
  }

  /** Hands frames to the sink in batches of batch_size, one publish of this device at a time. */
  private publish(frames: DataFrame[]): void {
    if (frames.length === 0) return;
    const { sink, settings, log, device } = this.deps;
    this.publishing = this.publishing.then(async () => {
      for (let i = 0; i < frames.length; i += settings.batchSize) {
        try {
          await sink.publishData(frames.slice(i, i + settings.batchSize));
        } catch (error) {
          log.warn(`Publishing values of '${device.name}' failed: ${(error as Error).message}`);
        }
      }
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Executes a CommandFrame for one of this device's tags. */
  async write(command: CommandFrame): Promise<CommandAckFrame> {
    const { device, driver, settings } = this.deps;
    const fail = (error: string): CommandAckFrame => ({
      commandId: command.commandId,
      success: false,
      error,
      actualValue: undefined,
      tagId: command.tagId,
    });
    const tag = this.tags.get(command.tagId);
    if (!tag) return fail(`tag ${command.tagId} is not an enabled tag of device '${device.name}'`);
    if (tag.accessType === 'Read') return fail(`'${tag.name}' is read-only (its access is Read)`);
    let raw;
    try {
      raw = toRawWrite(tag, command.value);
    } catch (error) {
      if (error instanceof WriteValueError) return fail(error.message);
      throw error;
    }
    if (!this.connected) {
      return fail(`device '${device.name}' is not connected${this.describeStatus()}`);
    }
    const timeoutMs = command.timeoutMs > 0 ? command.timeoutMs : settings.timeoutMs * 3;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      driver.write(driverTagOf(tag), raw),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    if (outcome === 'timeout') {
      return fail(`no confirmation from '${device.name}' within ${timeoutMs} ms; the write may still reach it`);
    }
    if (!outcome.ok) return fail(outcome.message);
    let actualValue;
    if (outcome.readBack !== undefined) {
      actualValue = toEngineering(tag, outcome.readBack).value;
      this.publish(this.frames.build([{ tagId: tag.id, ok: true, raw: outcome.readBack }]));
    }
    return { commandId: command.commandId, success: true, error: '', actualValue, tagId: tag.id };
  }

  private describeStatus(): string {
    const snapshot = this.deps.status.get(this.deps.device.id);
    return snapshot?.reason ? `: ${snapshot.reason}` : '';
  }
}
