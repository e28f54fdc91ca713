// The contract every protocol driver implements (Modbus here; OPC UA, MQTT and plugin drivers
// later). It is protocol-neutral: the driver manager schedules scans, turns raw values into
// engineering values (main/tags/engineering-value.ts), applies deadbands, publishes frames and keeps
// device status; a driver only talks to its device. See README, "Drivers".
import type { ProtocolKind, TagAccess, TagDataType } from '../../common/enums.ts';
import type { Quality, QualityReason } from '../../proto/generated/frame.ts';

/** A value as the device gives it, before scaling: the tag codec's output, a write's input. */
export type DriverValue = boolean | number | bigint | string | Uint8Array;

/** The part of a `tags` row a driver needs. */
export interface DriverTag {
  id: string;
  name: string;
  address: string;
  dataType: TagDataType;
  accessType: TagAccess;
}

/** The part of a `devices` row a driver needs: protocol settings live in endpoint and config. */
export interface DriverDevice {
  id: string;
  name: string;
  protocol: ProtocolKind;
  endpoint: string;
  config: Record<string, unknown>;
}

/** The performance and retry settings of the device's `driver_configs` row (seed §2.4). */
export interface DriverSettings {
  /** the driver configuration's name, for messages */
  name: string;
  scanIntervalMs: number;
  /** per request */
  timeoutMs: number;
  /** devices of this configuration scanned at the same time */
  maxConcurrent: number;
  /** data frames handed to the sink per call */
  batchSize: number;
  /** consecutive unanswered scans before a device is marked Offline and polled less often */
  maxRetries: number;
  retryIntervalMs: number;
  exponentialBackoff: boolean;
  maxRetryIntervalMs: number;
}

/** Tags read together at one rate (their scan_rate, or the configuration's scan_interval). */
export interface ScanGroup {
  id: string;
  intervalMs: number;
  tags: DriverTag[];
}

export interface DriverInit {
  device: DriverDevice;
  settings: DriverSettings;
  groups: ScanGroup[];
  /**
   * Drivers that are pushed values (capabilities.polling false: OPC UA subscriptions, MQTT,
   * plugins) hand what arrives here, between connect() and shutdown(); an outcome with
   * connectionLost ends the connection as a scan's would. The device runner always gives it.
   */
  push?: (outcome: ScanOutcome) => void;
}

export type TagReading =
  | {
      tagId: string;
      ok: true;
      raw: DriverValue;
      sourceTimestampNs?: bigint;
      /** the device's own verdict on a value it sent (an OPC UA Uncertain status); GOOD when absent */
      quality?: Quality;
      reason?: QualityReason;
      errorCode?: number;
    }
  | {
      tagId: string;
      ok: false;
      quality: Quality;
      reason: QualityReason;
      /** the protocol's own code, e.g. the Modbus exception code; 0 when none */
      errorCode: number;
      /** a sentence the engineer can act on */
      message: string;
    };

export interface ScanOutcome {
  /** one reading per tag of the group, in any order */
  readings: TagReading[];
  /** the device answered at least one request (an exception answer counts: the device is there) */
  answered: boolean;
  /** set when the connection or port is gone: the manager reconnects with backoff */
  connectionLost?: DriverError;
  /** a problem of an answering device, for its last error (e.g. a malformed MQTT payload) */
  problem?: string;
}

export type WriteOutcome =
  { ok: true; readBack?: DriverValue } | { ok: false; message: string; reason: QualityReason; errorCode: number };

export interface DriverCapabilities {
  read: boolean;
  write: boolean;
  /** tags are polled by scan groups (Modbus); false for drivers that are pushed values */
  polling: boolean;
  /** the tag data types the driver can map */
  dataTypes: readonly TagDataType[];
  /** protocol-specific features, stored in driver_registry.capabilities with the above */
  features: readonly string[];
}

export interface Driver {
  capabilities(): DriverCapabilities;
  /**
   * Validates the device settings and tag addresses and prepares the scans; no I/O. Throws
   * DriverError('config') for a device setting; a single bad tag address is not fatal: scan()
   * reports that tag as Bad/CONFIG_ERROR and the others are read.
   */
  initialise(init: DriverInit): Promise<void>;
  /** Opens (or re-opens) the connection; rejects with a DriverError the user can act on. */
  connect(): Promise<void>;
  /**
   * Reads one scan group. Device problems resolve as Bad readings, never as a rejection. Not
   * called for push drivers (capabilities.polling false).
   */
  scan(groupId: string): Promise<ScanOutcome>;
  /** Writes a raw value (already unscaled and range-checked by the manager) to one tag. */
  write(tag: DriverTag, raw: DriverValue): Promise<WriteOutcome>;
  /** Releases the connection; the driver may be initialised again afterwards. */
  shutdown(): Promise<void>;
  /** What the driver counted since it was created (e.g. MQTT messages, malformed, reconnects), for the status views. */
  counters?(): Record<string, number>;
}

/** A built-in or plugin driver as recorded in driver_registry. */
export interface DriverFactory {
  protocol: ProtocolKind;
  name: string;
  version: string;
  description: string;
  capabilities: DriverCapabilities;
  /** Extra driver_registry.metadata, and the api_version a plugin declared (built-ins: the contract's). */
  metadata?: Record<string, unknown>;
  apiVersion?: number;
  /** Why this driver cannot run on this machine (e.g. its native module failed to load), or undefined. */
  unavailableReason(): Promise<string | undefined>;
  create(): Driver;
}

export type DriverErrorKind =
  /** a setting is wrong: the user must change the device or tag */
  | 'config'
  /** the OS refused (permission denied, port busy, port not found): the user must act */
  | 'access'
  /** the peer cannot be reached right now (refused, unplugged, timed out): retried with backoff */
  | 'unreachable';

export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(
    readonly kind: DriverErrorKind,
    message: string,
    /** the setting the message is about, e.g. "config.modbus.baudRate" */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
