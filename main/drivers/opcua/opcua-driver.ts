// The OPC UA driver: one client connection and session per device, its tags monitored through
// a few subscriptions (up to maxItemsPerSubscription items each, one set per sampling rate,
// never one subscription per item). Values are pushed as they arrive, batched per event-loop
// turn. A lost connection, a closed session or a server that stops sending notifications and
// keep-alives (a pulled cable) is reported once; the device runner reconnects with its backoff
// and connect() re-creates every subscription.
import type * as OpcUaClientApi from 'node-opcua-client';
import type { ClientSubscription, DataValue } from 'node-opcua-client';
import { TAG_DATA_TYPES, type TagDataType } from '../../../common/enums.ts';
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import {
  DriverError,
  type Driver,
  type DriverCapabilities,
  type DriverDevice,
  type DriverInit,
  type DriverSettings,
  type DriverTag,
  type DriverValue,
  type ScanGroup,
  type ScanOutcome,
  type TagReading,
  type WriteOutcome,
} from '../driver-contract.ts';
import { isNodeIdText, parseOpcUaDeviceSettings, type OpcUaDeviceSettings } from './opcua-device-settings.ts';
import { ConcurrencyLimit } from '../concurrency-limit.ts';
import { classifyOpcUaError } from './opcua-errors.ts';
import { loadOpcUaClient } from './opcua-module.ts';
import type { OpcUaPki } from './opcua-pki.ts';
import { badReasonOf, severityOf } from './opcua-quality.ts';
import { openOpcUaConnection, type OpcUaConnection } from './opcua-session.ts';
import { decodeVariant, encodeVariant } from './opcua-values.ts';
import { PushedReadings } from '../pushed-readings.ts';

type UaModule = typeof OpcUaClientApi;

export const OPCUA_DATA_TYPES: readonly TagDataType[] = TAG_DATA_TYPES;

const NUMERIC: ReadonlySet<TagDataType> = new Set(
  TAG_DATA_TYPES.filter((type) => !['Boolean', 'String', 'DateTime', 'ByteArray'].includes(type)),
);

export function opcUaCapabilities(): DriverCapabilities {
  return {
    read: true,
    write: true,
    polling: false,
    dataTypes: OPCUA_DATA_TYPES,
    features: [
      'subscriptions',
      'data-change-deadband',
      'browse',
      'endpoint-discovery',
      'security-none',
      'security-sign',
      'security-sign-and-encrypt',
      'username',
    ],
  };
}

/** CreateSubscription + CreateMonitoredItems exchanges in flight at once while connecting. */
const SUBSCRIPTION_SETUPS_IN_FLIGHT = 8;

let statusNames: Map<number, string> | undefined;

function statusName(ua: UaModule, code: number): string {
  statusNames ??= new Map(Object.values(ua.StatusCodes).map((status) => [status.value, status.name]));
  return statusNames.get(code) ?? `0x${code.toString(16).padStart(8, '0')}`;
}

/** The server's OperationLimits.MaxMonitoredItemsPerCall; 0 when it sets none (or does not say). */
async function maxMonitoredItemsPerCall(ua: UaModule, connection: OpcUaConnection): Promise<number> {
  try {
    const limit = await connection.session.read({
      nodeId: ua.resolveNodeId(ua.VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall),
      attributeId: ua.AttributeIds.Value,
    });
    const value: unknown = limit.value?.value;
    return severityOf(limit.statusCode.value) === 'good' && typeof value === 'number' && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

function badReading(tag: DriverTag, code: number, reason: QualityReason, message: string): TagReading {
  return { tagId: tag.id, ok: false, quality: Quality.QUALITY_BAD, reason, errorCode: code, message };
}

export class OpcUaDriver implements Driver {
  private device: DriverDevice | undefined;
  private settings: OpcUaDeviceSettings | undefined;
  private driverSettings: DriverSettings | undefined;
  private push: ((outcome: ScanOutcome) => void) | undefined;
  private readings: PushedReadings | undefined;
  private groups: ScanGroup[] = [];
  private invalid: TagReading[] = [];
  private connection: OpcUaConnection | undefined;
  private subscriptions: ClientSubscription[] = [];
  private lastHeard = 0;
  private silenceLimitMs = 0;
  private watchdog: NodeJS.Timeout | undefined;
  /** bumped at every connect and shutdown: events of an older connection are ignored */
  private generation = 0;

  constructor(private readonly pki: OpcUaPki) {}

  capabilities(): DriverCapabilities {
    return opcUaCapabilities();
  }

  initialise({ device, settings, groups, push }: DriverInit): Promise<void> {
    if (device.protocol !== 'OpcUa') {
      throw new DriverError('config', `device '${device.name}' speaks ${device.protocol}, not OpcUa`);
    }
    if (!push) throw new Error('the OPC UA driver is pushed values: initialise() needs push');
    this.device = device;
    this.driverSettings = settings;
    this.settings = parseOpcUaDeviceSettings(device.endpoint, device.config);
    this.push = push;
    this.readings = new PushedReadings(push);
    this.invalid = [];
    this.groups = groups.map((group) => ({
      ...group,
      tags: group.tags.filter((tag) => {
        if (isNodeIdText(tag.address)) return true;
        this.invalid.push(
          badReading(
            tag,
            0,
            QualityReason.QUALITY_REASON_CONFIG_ERROR,
            `tag '${tag.name}', address '${tag.address}': not an OPC UA NodeId (e.g. ns=2;s=Line1.Speed or ns=3;i=1001)`,
          ),
        );
        return false;
      }),
    }));
    return Promise.resolve();
  }

  private timeoutMs(): number {
    return this.driverSettings?.timeoutMs ?? 5000;
  }

  async connect(): Promise<void> {
    const settings = this.settings;
    if (!settings || !this.device) throw new Error('the OPC UA driver is not initialised');
    await this.closeConnection();
    const generation = ++this.generation;
    const ua = await loadOpcUaClient();
    const connection = await openOpcUaConnection(settings, this.pki, this.timeoutMs());
    connection.onLost((reason) => this.lost(generation, reason));
    this.connection = connection;
    try {
      await this.subscribeAll(ua, connection, generation);
    } catch (error) {
      await this.closeConnection();
      throw classifyOpcUaError(error, settings.endpointUrl);
    }
    if (this.invalid.length > 0) this.enqueue(this.invalid);
    this.lastHeard = Date.now();
    this.watchdog = setInterval(() => this.checkSilence(generation), Math.min(1000, this.silenceLimitMs / 4));
    this.watchdog.unref();
  }

  private async subscribeAll(ua: UaModule, connection: OpcUaConnection, generation: number): Promise<void> {
    const options = (this.settings as OpcUaDeviceSettings).options;
    const chunks: Array<{ group: ScanGroup; tags: DriverTag[] }> = [];
    for (const group of this.groups) {
      for (let start = 0; start < group.tags.length; start += options.maxItemsPerSubscription) {
        chunks.push({ group, tags: group.tags.slice(start, start + options.maxItemsPerSubscription) });
      }
    }
    const itemsPerCall = await maxMonitoredItemsPerCall(ua, connection);
    // The subscriptions are set up a few at a time: the round trips overlap, but thousands of
    // requests fired at once queue up in the server until the last ones time out (what kept the
    // one-subscription-per-item baseline of bench:opcua from ever being set up).
    const limit = new ConcurrencyLimit(SUBSCRIPTION_SETUPS_IN_FLIGHT);
    const silences = await Promise.all(
      chunks.map(({ group, tags }) =>
        limit.run(async () => {
          const subscription = await connection.session.createSubscription2({
            requestedPublishingInterval: options.publishingIntervalMs ?? group.intervalMs,
            requestedMaxKeepAliveCount: options.keepAliveCount,
            requestedLifetimeCount: options.keepAliveCount * 6,
            maxNotificationsPerPublish: 0,
            publishingEnabled: true,
            priority: 10,
          });
          this.subscriptions.push(subscription);
          const heard = () => {
            if (generation === this.generation) this.lastHeard = Date.now();
          };
          subscription.on('keepalive', heard);
          subscription.on('received_notifications', heard);
          subscription.on('terminated', () => this.lost(generation, 'the server ended a subscription'));
          await this.monitor(ua, subscription, tags, group.intervalMs, itemsPerCall, generation);
          // The server must send something every publishingInterval × maxKeepAliveCount.
          return subscription.publishingInterval * subscription.maxKeepAliveCount;
        }),
      ),
    );
    this.silenceLimitMs = Math.max(2 * Math.max(0, ...silences) + this.timeoutMs(), 3000);
  }

  /** How many subscriptions the device uses now (the commissioning view and tests). */
  subscriptionCount(): number {
    return this.subscriptions.length;
  }

  private async monitor(
    ua: UaModule,
    subscription: ClientSubscription,
    tags: DriverTag[],
    samplingInterval: number,
    itemsPerCall: number,
    generation: number,
  ): Promise<void> {
    const options = (this.settings as OpcUaDeviceSettings).options;
    const deadband =
      options.deadbandType === 'None'
        ? undefined
        : new ua.DataChangeFilter({
            trigger: ua.DataChangeTrigger.StatusValue,
            deadbandType: ua.DeadbandType[options.deadbandType],
            deadbandValue: options.deadbandValue,
          });
    // A deadband only applies to numbers: the server refuses it on other types. One
    // CreateMonitoredItems call takes as many items as the server's MaxMonitoredItemsPerCall.
    const batches: Array<{ numeric: boolean; selected: DriverTag[] }> = [];
    for (const numeric of [true, false]) {
      const all = tags.filter((tag) => NUMERIC.has(tag.dataType) === numeric);
      const perCall = itemsPerCall > 0 ? itemsPerCall : all.length;
      for (let start = 0; start < all.length; start += perCall) {
        batches.push({ numeric, selected: all.slice(start, start + perCall) });
      }
    }
    for (const { numeric, selected } of batches) {
      const group = await subscription.monitorItems(
        selected.map((tag) => ({ nodeId: tag.address.trim(), attributeId: ua.AttributeIds.Value })),
        {
          samplingInterval,
          discardOldest: true,
          queueSize: options.queueSize,
          ...(numeric && deadband ? { filter: deadband } : {}),
        },
        // Only the source timestamp is stored: the server timestamp would be encoded, sent and
        // decoded with every value for nothing.
        ua.TimestampsToReturn.Source,
      );
      group.on('changed', (_item, dataValue, index) => {
        if (generation !== this.generation) return;
        const tag = selected[index];
        if (tag) this.readings?.addOne(this.readingOf(ua, tag, dataValue));
      });
      const refused: TagReading[] = [];
      group.monitoredItems.forEach((item, index) => {
        const code = item.statusCode.value;
        const tag = selected[index] as DriverTag;
        if (severityOf(code) !== 'bad') return;
        const name = statusName(ua, code);
        refused.push(
          badReading(
            tag,
            code,
            badReasonOf(code),
            code === ua.StatusCodes.BadNodeIdUnknown.value
              ? `tag '${tag.name}': the server has no node '${tag.address}' (${name})`
              : `tag '${tag.name}': the server refused to monitor '${tag.address}' (${name})`,
          ),
        );
      });
      if (refused.length > 0) this.enqueue(refused);
    }
  }

  // The hot path (one call per notification, 10,000s per second): no spreads, and a plain
  // number — what most nodes hold — is taken without going through decodeVariant.
  private readingOf(ua: UaModule, tag: DriverTag, dataValue: DataValue): TagReading {
    const code = dataValue.statusCode.value;
    const severity = severityOf(code);
    if (severity === 'bad') {
      return badReading(tag, code, badReasonOf(code), `'${tag.address}' is ${statusName(ua, code)} on the server`);
    }
    const variant = dataValue.value;
    let raw: DriverValue;
    if (typeof variant?.value === 'number' && variant.arrayType === ua.VariantArrayType.Scalar) {
      raw = variant.value;
    } else {
      const decoded = decodeVariant(ua, variant);
      if (!decoded.ok) {
        return badReading(
          tag,
          code,
          QualityReason.QUALITY_REASON_DECODE_ERROR,
          `tag '${tag.name}': ${decoded.message}`,
        );
      }
      raw = decoded.raw;
    }
    const reading: Extract<TagReading, { ok: true }> = { tagId: tag.id, ok: true, raw };
    const stamp = dataValue.sourceTimestamp;
    if (stamp) reading.sourceTimestampNs = BigInt(stamp.getTime()) * 1_000_000n;
    if (severity === 'uncertain') {
      reading.quality = Quality.QUALITY_UNCERTAIN;
      reading.reason = QualityReason.QUALITY_REASON_DEVICE_FAILURE;
      reading.errorCode = code;
    }
    return reading;
  }

  private enqueue(readings: TagReading[]): void {
    this.readings?.add(readings);
  }

  private checkSilence(generation: number): void {
    if (generation !== this.generation || this.subscriptions.length === 0) return;
    const silentMs = Date.now() - this.lastHeard;
    if (silentMs > this.silenceLimitMs) {
      this.lost(
        generation,
        `${this.settings?.endpointUrl} sent neither data nor keep-alives for ${Math.round(silentMs / 1000)} s (cable pulled or server hung?)`,
      );
    }
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation) return;
    this.generation++;
    clearInterval(this.watchdog);
    this.push?.({ readings: [], answered: false, connectionLost: new DriverError('unreachable', reason) });
  }

  private async closeConnection(): Promise<void> {
    this.generation++;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    const connection = this.connection;
    this.connection = undefined;
    this.subscriptions = [];
    await connection?.close();
  }

  scan(): Promise<ScanOutcome> {
    return Promise.reject(new Error('the OPC UA driver is not polled: its values arrive by subscription'));
  }

  async write(tag: DriverTag, raw: DriverValue): Promise<WriteOutcome> {
    const connection = this.connection;
    if (!connection) {
      return { ok: false, message: 'not connected', reason: QualityReason.QUALITY_REASON_NOT_CONNECTED, errorCode: 0 };
    }
    if (!isNodeIdText(tag.address)) {
      return {
        ok: false,
        message: `'${tag.address}' is not an OPC UA NodeId`,
        reason: QualityReason.QUALITY_REASON_CONFIG_ERROR,
        errorCode: 0,
      };
    }
    const ua = await loadOpcUaClient();
    const nodeId = tag.address.trim();
    try {
      const status = await connection.session.write({
        nodeId,
        attributeId: ua.AttributeIds.Value,
        value: { value: encodeVariant(ua, tag.dataType, raw) },
      });
      if (severityOf(status.value) === 'bad') {
        const name = statusName(ua, status.value);
        const hint =
          status.value === ua.StatusCodes.BadTypeMismatch.value
            ? `: the node's data type is not ${tag.dataType}; set the tag's data type to the node's`
            : status.value === ua.StatusCodes.BadNotWritable.value ||
                status.value === ua.StatusCodes.BadUserAccessDenied.value
              ? ': the server does not let this user write the node'
              : '';
        return {
          ok: false,
          message: `the server refused the write (${name})${hint}`,
          reason: badReasonOf(status.value),
          errorCode: status.value,
        };
      }
      const readBack = await connection.session.read({ nodeId, attributeId: ua.AttributeIds.Value });
      const decoded = severityOf(readBack.statusCode.value) === 'bad' ? undefined : decodeVariant(ua, readBack.value);
      return decoded?.ok ? { ok: true, readBack: decoded.raw } : { ok: true };
    } catch (error) {
      const problem = classifyOpcUaError(error, this.settings?.endpointUrl ?? 'the server');
      return { ok: false, message: problem.message, reason: QualityReason.QUALITY_REASON_TIMEOUT, errorCode: 0 };
    }
  }

  async shutdown(): Promise<void> {
    await this.closeConnection();
    this.readings?.clear();
  }
}
