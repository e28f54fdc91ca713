// Keeps devices.status and devices.last_seen current through the seed's update_device_status()
// (DevicesRepository.setStatus), and announces each change as an EventFrame. A status change is
// written at once; while a device keeps answering, last_seen is refreshed at most every few
// seconds, so a fast poll does not become a stream of UPDATEs. Writes are queued per device and a
// failing database is logged, never thrown into the polling.
import type { DeviceStatus } from '../../common/enums.ts';
import type { Device, DevicesRepository } from '../db/repositories/devices-repository.ts';
import { EventKind, Severity, type EventFrame } from '../../proto/generated/frame.ts';
import type { DriverLog } from './driver-log.ts';
import type { FrameSink } from './frame-sink.ts';

export interface DeviceStatusSnapshot {
  status: DeviceStatus;
  /** why, in words (empty while all is well) */
  reason: string;
  lastSeen: Date | null;
}

interface Entry extends DeviceStatusSnapshot {
  name: string;
  persistedStatus: DeviceStatus;
  persistedLastSeen: number;
  writing: Promise<void>;
}

const SEVERITY: Record<DeviceStatus, Severity> = {
  Online: Severity.SEVERITY_INFO,
  Offline: Severity.SEVERITY_WARNING,
  Error: Severity.SEVERITY_CRITICAL,
  Maintenance: Severity.SEVERITY_INFO,
  Unknown: Severity.SEVERITY_INFO,
};

export class DeviceStatusRecorder {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repo: DevicesRepository,
    private readonly sink: FrameSink,
    private readonly log: DriverLog,
    /** how often last_seen of an answering device is written, in ms */
    private readonly lastSeenRefreshMs = 5000,
  ) {}

  track(device: Device): void {
    this.entries.set(device.id, {
      name: device.name,
      status: device.status,
      reason: '',
      lastSeen: device.lastSeen,
      persistedStatus: device.status,
      persistedLastSeen: device.lastSeen?.getTime() ?? 0,
      writing: Promise.resolve(),
    });
  }

  /** Stops following a device (deleted, disabled, in maintenance): its row keeps what it has. */
  forget(deviceId: string): void {
    this.entries.delete(deviceId);
  }

  get(deviceId: string): DeviceStatusSnapshot | undefined {
    const entry = this.entries.get(deviceId);
    return entry && { status: entry.status, reason: entry.reason, lastSeen: entry.lastSeen };
  }

  /** The device answered a request. */
  answered(deviceId: string, at = new Date()): void {
    const entry = this.entries.get(deviceId);
    if (!entry) return;
    entry.lastSeen = at;
    if (entry.status !== 'Online') {
      this.change(deviceId, 'Online', '');
    } else if (at.getTime() - entry.persistedLastSeen >= this.lastSeenRefreshMs) {
      this.persist(deviceId, entry);
    }
  }

  /** Sets a status with the reason in words; nothing happens when it is unchanged. */
  change(deviceId: string, status: DeviceStatus, reason: string): void {
    const entry = this.entries.get(deviceId);
    if (!entry || (entry.status === status && entry.reason === reason)) return;
    const previous = entry.status;
    entry.status = status;
    entry.reason = reason;
    if (previous === status) return; // a new reason for the same status: no event, no write
    this.announce(deviceId, entry, previous);
    this.persist(deviceId, entry);
  }

  /** Resolves when every queued write has finished (stop, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.writing));
  }

  private persist(deviceId: string, entry: Entry): void {
    entry.writing = entry.writing.then(async () => {
      const lastSeen = entry.lastSeen?.getTime() ?? 0;
      if (entry.persistedStatus === entry.status && entry.persistedLastSeen === lastSeen) return;
      const status = entry.status;
      try {
        await this.repo.setStatus(deviceId, status, entry.lastSeen);
        entry.persistedStatus = status;
        entry.persistedLastSeen = lastSeen;
      } catch (error) {
        this.log.warn(`Could not record that '${entry.name}' is ${status}: ${(error as Error).message}`);
      }
    });
  }

  private announce(deviceId: string, entry: Entry, previous: DeviceStatus): void {
    const event: EventFrame = {
      kind: EventKind.EVENT_KIND_DEVICE_STATUS,
      severity: SEVERITY[entry.status],
      message: entry.reason
        ? `Device '${entry.name}' is ${entry.status}: ${entry.reason}`
        : `Device '${entry.name}' is ${entry.status}`,
      detail: {
        $case: 'deviceStatus',
        value: { deviceId, status: entry.status, previousStatus: previous, reason: entry.reason },
      },
    };
    try {
      void Promise.resolve(this.sink.publishEvent(event)).catch((error: Error) =>
        this.log.warn(`Could not publish the status of '${entry.name}': ${error.message}`),
      );
    } catch (error) {
      this.log.warn(`Could not publish the status of '${entry.name}': ${(error as Error).message}`);
    }
  }
}
