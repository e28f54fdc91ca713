// A plugin driver as the device runner sees it: a proxy to the plugin module running in its own
// worker (plugin-worker.ts). Before every load the file's sha256 is checked against the
// registration. A plugin that throws, hangs or loops is stopped, its driver marked ERROR in
// driver_registry, and its device reported unreachable; the runner starts it again (checking
// the hash again) with its backoff. The gateway never waits on it longer than the call's deadline.
import { pathToFileURL } from 'node:url';
import { QualityReason } from '../../../proto/generated/frame.ts';
import {
  DriverError,
  type Driver,
  type DriverCapabilities,
  type DriverInit,
  type DriverTag,
  type DriverValue,
  type ScanOutcome,
  type WriteOutcome,
} from '../driver-contract.ts';
import { PluginHashError, verifyPluginFile } from './plugin-file.ts';
import { PluginCallError, PluginWorker } from './plugin-worker.ts';

export interface PluginRegistrationRef {
  filePath: string;
  fileHash: string;
  capabilities: DriverCapabilities;
}

export interface PluginHealth {
  failed(message: string): void;
  recovered(): void;
}

export class PluginDriver implements Driver {
  private worker: PluginWorker | undefined;
  private init: Omit<DriverInit, 'push'> | undefined;
  private failing = false;

  constructor(
    private readonly registration: PluginRegistrationRef,
    private readonly health: PluginHealth,
  ) {}

  capabilities(): DriverCapabilities {
    return this.registration.capabilities;
  }

  initialise({ device, settings, groups }: DriverInit): Promise<void> {
    this.init = { device, settings, groups };
    return Promise.resolve();
  }

  private deadlineMs(): number {
    return Math.max(200, this.init?.settings.timeoutMs ?? 5000);
  }

  private failure(error: unknown, during: string): DriverError {
    const message =
      error instanceof PluginCallError && error.fatal
        ? error.message
        : `the plugin failed during ${during}: ${(error as Error).message}`;
    this.failing = true;
    this.health.failed(message);
    void this.stopWorker();
    return new DriverError('access', message);
  }

  async connect(): Promise<void> {
    if (!this.init) throw new Error('the plugin driver is not initialised');
    await this.stopWorker();
    try {
      await verifyPluginFile(this.registration.filePath, this.registration.fileHash);
    } catch (error) {
      if (!(error instanceof PluginHashError)) throw error;
      this.health.failed(error.message);
      throw new DriverError('config', error.message);
    }
    const worker = new PluginWorker(pathToFileURL(this.registration.filePath).href);
    this.worker = worker;
    try {
      await worker.call('initialise', [this.init], this.deadlineMs());
      await worker.call('connect', [], this.deadlineMs());
    } catch (error) {
      if (error instanceof PluginCallError && !error.fatal) {
        await this.stopWorker();
        throw new DriverError('unreachable', `the plugin could not connect: ${error.message}`);
      }
      throw this.failure(error, 'connect()');
    }
    if (this.failing) {
      this.failing = false;
      this.health.recovered();
    }
  }

  async scan(groupId: string): Promise<ScanOutcome> {
    const worker = this.worker;
    if (!worker?.alive) {
      return {
        readings: [],
        answered: false,
        connectionLost: new DriverError('unreachable', 'the plugin is not running'),
      };
    }
    try {
      const outcome = await worker.call<ScanOutcome>('scan', [groupId], this.deadlineMs());
      if (!outcome || !Array.isArray(outcome.readings)) {
        throw new Error('scan() must return { readings: [...], answered: boolean }');
      }
      return { readings: outcome.readings, answered: Boolean(outcome.answered) };
    } catch (error) {
      return { readings: [], answered: false, connectionLost: this.failure(error, 'scan()') };
    }
  }

  async write(tag: DriverTag, raw: DriverValue): Promise<WriteOutcome> {
    const worker = this.worker;
    if (!worker?.alive) {
      return {
        ok: false,
        message: 'the plugin is not running',
        reason: QualityReason.QUALITY_REASON_NOT_CONNECTED,
        errorCode: 0,
      };
    }
    try {
      const outcome = await worker.call<WriteOutcome>('write', [tag, raw], this.deadlineMs());
      return outcome?.ok
        ? outcome
        : {
            ok: false,
            message: outcome?.message ?? 'the plugin refused the write',
            reason: QualityReason.QUALITY_REASON_DEVICE_FAILURE,
            errorCode: 0,
          };
    } catch (error) {
      const problem =
        error instanceof PluginCallError && error.fatal ? this.failure(error, 'write()') : (error as Error);
      return { ok: false, message: problem.message, reason: QualityReason.QUALITY_REASON_DEVICE_FAILURE, errorCode: 0 };
    }
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    if (worker.alive) await worker.call('shutdown', [], 500).catch(() => undefined);
    await worker.terminate();
  }

  shutdown(): Promise<void> {
    return this.stopWorker();
  }
}
