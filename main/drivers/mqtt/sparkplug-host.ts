// The Sparkplug B side of the MQTT driver: a host application (not the primary one: it publishes
// no STATE) that follows the edge nodes its tags name. Per node it keeps the BIRTH certificates
// (metric names, datatypes, aliases, of the node and of each device) and the seq counter, and
// turns each message into tag readings:
// * BIRTH: the metrics' definitions and values; a tag whose metric the BIRTH lacks is Bad/CONFIG_ERROR.
// * DATA: metrics by alias or name, typed by the BIRTH's datatype, metric timestamps as source timestamps.
// * NDEATH (with the BIRTH's bdSeq) / DDEATH: the node's (device's) tags Bad at once.
// * a seq gap, DATA before any BIRTH, an alias the BIRTH did not define, or a payload that cannot
//   be read: the node is out of sync — its tags go Uncertain (last values kept) until its next
//   NBIRTH, and when the device config allows commands an NCMD "Node Control/Rebirth" asks for one.
// * the gateway (re)subscribed: the values are Uncertain until the node's next message shows by its
//   seq that nothing was missed (then Good again) or not (out of sync); a node never seen born is
//   asked for a Rebirth at once when commands are allowed.
// Nothing here throws on bad input: every problem is a reading or a sentence.
import { Quality, QualityReason } from '../../../proto/generated/frame.ts';
import type { DriverTag, TagReading } from '../driver-contract.ts';
import {
  parseSparkplugTopic,
  rebirthTopic,
  sparkplugFilters,
  sparkplugKey,
  type SparkplugAddress,
  type SparkplugTopic,
} from './sparkplug-address.ts';
import {
  dataTypeName,
  decodeSparkplugPayload,
  metricValue,
  rebirthRequest,
  SparkplugPayloadError,
  tagValueOf,
  type SparkplugMetric,
  type SparkplugPayload,
} from './sparkplug-payload.ts';

export interface SparkplugTag {
  tag: DriverTag;
  address: SparkplugAddress;
}

export interface SparkplugHostOptions {
  /** whether the gateway may publish NCMD (Rebirth requests): config.mqtt.sparkplug.allowCommands */
  allowCommands: boolean;
  /** a second Rebirth request for the same node waits this long */
  rebirthIntervalMs?: number;
}

export interface SparkplugOutcome {
  readings: TagReading[];
  /** a sentence for the device's last error (malformed payload, seq gap, DATA before BIRTH) */
  problem?: string;
  /** the payload (or a metric of it) could not be read: counted as malformed */
  malformed: boolean;
  /** the payload exceeded maxPayloadBytes: counted as oversized */
  oversized: boolean;
  /** an NCMD to publish (QoS 0, not retained) */
  rebirth?: { topic: string; payload: Uint8Array };
}

/** The definitions of one BIRTH: the node's or one device's metrics. */
interface Scope {
  label: string;
  born: boolean;
  dataTypes: Map<string, number>;
  /** alias → metric name; null when metrics of the BIRTH share it (a node without aliases: all 0) */
  aliases: Map<bigint, string | null>;
  /** metric name → the tags that map it */
  tags: Map<string, DriverTag[]>;
}

interface EdgeNode {
  group: string;
  node: string;
  scope: Scope;
  devices: Map<string, Scope>;
  seq: number | undefined;
  bdSeq: bigint | undefined;
  inSync: boolean;
  /** after a (re)subscription: the next message's seq tells whether anything was missed */
  verify: boolean;
  lastRebirthMs: number;
}

const DEFAULT_REBIRTH_INTERVAL_MS = 5000;

function newScope(label: string): Scope {
  return { label, born: false, dataTypes: new Map(), aliases: new Map(), tags: new Map() };
}

function bad(tag: DriverTag, quality: Quality, reason: QualityReason, message: string): TagReading {
  return { tagId: tag.id, ok: false, quality, reason, errorCode: 0, message: `tag '${tag.name}': ${message}` };
}

export class SparkplugHost {
  private readonly nodes = new Map<string, EdgeNode>();
  /** the last reading of each tag (good ones as the node sent them), replayed when the sync changes */
  private readonly last = new Map<string, TagReading>();
  private readonly rebirthIntervalMs: number;

  constructor(
    tags: readonly SparkplugTag[],
    private readonly options: SparkplugHostOptions,
  ) {
    this.rebirthIntervalMs = options.rebirthIntervalMs ?? DEFAULT_REBIRTH_INTERVAL_MS;
    for (const { tag, address } of tags) {
      const key = sparkplugKey(address.group, address.node);
      let node = this.nodes.get(key);
      if (!node) {
        node = {
          group: address.group,
          node: address.node,
          scope: newScope(key),
          devices: new Map(),
          seq: undefined,
          bdSeq: undefined,
          inSync: false,
          verify: false,
          lastRebirthMs: -Infinity,
        };
        this.nodes.set(key, node);
      }
      let scope = node.scope;
      if (address.device !== undefined) {
        scope = node.devices.get(address.device) ?? newScope(sparkplugKey(address.group, address.node, address.device));
        node.devices.set(address.device, scope);
      }
      const mapped = scope.tags.get(address.metric) ?? [];
      mapped.push(tag);
      scope.tags.set(address.metric, mapped);
    }
  }

  /** The subscriptions: every message of each edge node a tag names, and of its devices. */
  filters(): string[] {
    return [...this.nodes.values()].flatMap((node) => sparkplugFilters(node.group, node.node));
  }

  /** Bad readings for the tags the broker refused to feed (the subscriptions among `filters`). */
  refused(filters: ReadonlySet<string>): TagReading[] {
    const readings: TagReading[] = [];
    for (const node of this.nodes.values()) {
      for (const filter of sparkplugFilters(node.group, node.node)) {
        if (!filters.has(filter)) continue;
        const scopes = filter.endsWith('/+') ? [...node.devices.values()] : [node.scope];
        for (const tag of scopes.flatMap((scope) => [...scope.tags.values()].flat())) {
          readings.push(
            bad(
              tag,
              Quality.QUALITY_BAD,
              QualityReason.QUALITY_REASON_CONFIG_ERROR,
              `the broker refused the subscription to '${filter}' (not allowed for this user?)`,
            ),
          );
        }
      }
    }
    return readings;
  }

  /** Undefined when the topic is no message of a node a tag names. */
  onMessage(
    topic: string,
    payload: Uint8Array,
    maxPayloadBytes: number,
    nowMs = Date.now(),
  ): SparkplugOutcome | undefined {
    const where = parseSparkplugTopic(topic);
    if (!where || where.type === 'NCMD' || where.type === 'DCMD') return undefined;
    const node = this.nodes.get(sparkplugKey(where.group, where.node));
    if (!node) return undefined;
    if (payload.length > maxPayloadBytes) {
      const outcome = this.outOfSync(
        node,
        `a payload of ${payload.length} bytes on '${topic}' exceeds config.mqtt.maxPayloadBytes (${maxPayloadBytes}); dropped`,
        nowMs,
      );
      return { ...outcome, oversized: true };
    }
    let decoded: SparkplugPayload;
    try {
      decoded = decodeSparkplugPayload(payload);
    } catch (error) {
      if (!(error instanceof SparkplugPayloadError)) throw error;
      const outcome = this.outOfSync(node, `malformed Sparkplug payload on '${topic}': ${error.message}`, nowMs);
      return { ...outcome, malformed: true };
    }
    if (where.type === 'NDEATH') return this.death(node, decoded);
    if (where.type === 'NBIRTH') {
      node.seq = Number(decoded.seq);
      node.bdSeq = bdSeqOf(decoded);
      node.inSync = true;
      node.verify = false;
      node.lastRebirthMs = -Infinity;
      for (const device of node.devices.values()) device.born = false;
      return this.birth(node.scope, decoded, 'NBIRTH');
    }
    // Every other message of the node carries the next seq (0…255, wrapping).
    let lost: string | undefined;
    if (!node.scope.born) {
      lost = `${where.type} from ${node.scope.label} before its NBIRTH (the gateway subscribed after the node was born, or the node died)`;
    } else if (node.seq !== undefined && Number(decoded.seq) !== (node.seq + 1) % 256) {
      lost = `seq ${decoded.seq} from ${node.scope.label} after ${node.seq}: messages were lost`;
    }
    node.seq = Number(decoded.seq);
    let regained: TagReading[] = [];
    if (node.verify) {
      node.verify = false;
      // nothing was missed while the gateway was away: the last values hold again
      if (!lost) {
        node.inSync = true;
        regained = this.replay(node, true);
      }
    }
    const deviceScope = where.device === undefined ? undefined : node.devices.get(where.device);
    if (where.device !== undefined && !deviceScope) return { readings: [], malformed: false, oversized: false }; // a device no tag maps
    if (where.type === 'DDEATH') {
      const outcome = this.deviceDeath(deviceScope as Scope);
      return lost ? merge(this.outOfSync(node, lost, nowMs), outcome) : outcome;
    }
    if (where.type === 'DBIRTH' && !lost) return this.birth(deviceScope as Scope, decoded, 'DBIRTH');
    const scope = deviceScope ?? node.scope;
    if (!lost && !scope.born) lost = `${where.type} from ${scope.label} before its DBIRTH`;
    const sync = lost ? this.outOfSync(node, lost, nowMs) : undefined;
    const data = this.data(node, scope, decoded, where, nowMs);
    if (regained.length > 0) data.readings.unshift(...regained);
    return sync ? merge(sync, data) : data;
  }

  private birth(scope: Scope, payload: SparkplugPayload, type: string): SparkplugOutcome {
    scope.born = true;
    scope.dataTypes.clear();
    scope.aliases.clear();
    for (const metric of payload.metrics) {
      if (metric.name === '') continue;
      scope.dataTypes.set(metric.name, metric.dataType);
      scope.aliases.set(metric.alias, scope.aliases.has(metric.alias) ? null : metric.name);
    }
    const outcome = this.values(scope, payload, metricsByName(payload.metrics), Quality.QUALITY_GOOD);
    for (const [name, tags] of scope.tags) {
      if (scope.dataTypes.has(name)) continue;
      for (const tag of tags) {
        outcome.readings.push(
          this.remember(
            bad(
              tag,
              Quality.QUALITY_BAD,
              QualityReason.QUALITY_REASON_CONFIG_ERROR,
              `metric '${name}' is not in the ${type} of ${scope.label} (it has ${describeNames([...scope.dataTypes.keys()])})`,
            ),
          ),
        );
      }
    }
    return outcome;
  }

  private data(
    node: EdgeNode,
    scope: Scope,
    payload: SparkplugPayload,
    where: SparkplugTopic,
    nowMs: number,
  ): SparkplugOutcome {
    const named = new Map<string, SparkplugMetric>();
    const unknown: string[] = [];
    for (const metric of payload.metrics) {
      const name = metric.name !== '' ? metric.name : scope.aliases.get(metric.alias);
      if (name) named.set(name, metric);
      else unknown.push(`alias ${metric.alias}`);
    }
    const quality = node.inSync ? Quality.QUALITY_GOOD : Quality.QUALITY_UNCERTAIN;
    const outcome = this.values(scope, payload, named, quality);
    if (unknown.length > 0 && scope.born) {
      const problem = `${where.type} from ${scope.label} carries ${unknown.slice(0, 3).join(', ')} that its BIRTH did not define`;
      return merge(this.outOfSync(node, problem, nowMs), outcome);
    }
    return outcome;
  }

  /** The readings of the mapped metrics among `metrics`. */
  private values(
    scope: Scope,
    payload: SparkplugPayload,
    metrics: ReadonlyMap<string, SparkplugMetric>,
    quality: Quality,
  ): SparkplugOutcome {
    const outcome: SparkplugOutcome = { readings: [], malformed: false, oversized: false };
    for (const [name, metric] of metrics) {
      const tags = scope.tags.get(name);
      if (!tags || metric.isHistorical) continue;
      const dataType = metric.dataType || (scope.dataTypes.get(name) ?? 0);
      const where = `metric '${name}' of ${scope.label}`;
      if (metric.isNull || metric.wire === undefined) {
        const [reason, why] = metric.isNull
          ? [QualityReason.QUALITY_REASON_DEVICE_FAILURE, 'is null (the edge node has no value for it)']
          : [QualityReason.QUALITY_REASON_DECODE_ERROR, `carries no value a tag can take (${dataTypeName(dataType)})`];
        for (const tag of tags)
          outcome.readings.push(this.remember(bad(tag, Quality.QUALITY_BAD, reason, `${where} ${why}`)));
        continue;
      }
      let value;
      try {
        value = metricValue(dataType, metric.wire);
      } catch (error) {
        if (!(error instanceof SparkplugPayloadError)) throw error;
        outcome.malformed = true;
        for (const tag of tags) {
          outcome.readings.push(
            this.remember(
              bad(tag, Quality.QUALITY_BAD, QualityReason.QUALITY_REASON_DECODE_ERROR, `${where}: ${error.message}`),
            ),
          );
        }
        continue;
      }
      const stampMs = metric.timestampMs ?? payload.timestampMs;
      const ns = stampMs === undefined ? undefined : stampMs * 1_000_000n;
      for (const tag of tags) {
        const raw = tagValueOf(tag.dataType, value, dataType);
        if (typeof raw === 'string' && tag.dataType !== 'String') {
          outcome.readings.push(
            this.remember(bad(tag, Quality.QUALITY_BAD, QualityReason.QUALITY_REASON_DECODE_ERROR, `${where}: ${raw}`)),
          );
          continue;
        }
        const reading: TagReading = { tagId: tag.id, ok: true, raw };
        if (ns !== undefined) reading.sourceTimestampNs = ns;
        this.last.set(tag.id, reading);
        outcome.readings.push(quality === Quality.QUALITY_GOOD ? reading : uncertain(reading));
      }
    }
    return outcome;
  }

  private remember(reading: TagReading): TagReading {
    this.last.set(reading.tagId, reading);
    return reading;
  }

  /** The last reading of every tag of the node and its devices; good ones Uncertain unless `inSync`. */
  private replay(node: EdgeNode, inSync: boolean): TagReading[] {
    const readings: TagReading[] = [];
    for (const scope of [node.scope, ...node.devices.values()]) {
      for (const tags of scope.tags.values()) {
        for (const tag of tags) {
          const last = this.last.get(tag.id);
          if (last) readings.push(inSync || !last.ok ? last : uncertain(last));
        }
      }
    }
    return readings;
  }

  /**
   * After the gateway (re)subscribed: it may have missed anything, so every node's values are
   * Uncertain until its next message shows by its seq that nothing was lost (or its next NBIRTH);
   * nodes never seen born are asked for a Rebirth at once when commands are allowed.
   */
  resync(nowMs = Date.now()): { readings: TagReading[]; rebirths: Array<{ topic: string; payload: Uint8Array }> } {
    const readings: TagReading[] = [];
    const rebirths: Array<{ topic: string; payload: Uint8Array }> = [];
    for (const node of this.nodes.values()) {
      node.inSync = false;
      node.verify = node.scope.born;
      readings.push(...this.replay(node, false));
      if (!node.scope.born && this.options.allowCommands && nowMs - node.lastRebirthMs >= this.rebirthIntervalMs) {
        node.lastRebirthMs = nowMs;
        rebirths.push({ topic: rebirthTopic(node.group, node.node), payload: rebirthRequest(nowMs) });
      }
    }
    return { readings, rebirths };
  }

  /**
   * The node lost messages: its tags with a value turn Uncertain (once, when it falls out of
   * sync) and, when allowed, a Rebirth is requested (at most every rebirthIntervalMs).
   */
  private outOfSync(node: EdgeNode, why: string, nowMs: number): SparkplugOutcome {
    const outcome: SparkplugOutcome = { readings: [], malformed: false, oversized: false };
    if (node.inSync) {
      node.inSync = false;
      outcome.readings = this.replay(node, false);
    }
    let next: string;
    if (!this.options.allowCommands) {
      next =
        'values stay Uncertain until its next NBIRTH (set config.mqtt.sparkplug.allowCommands to let the gateway request a Rebirth)';
    } else if (nowMs - node.lastRebirthMs >= this.rebirthIntervalMs) {
      node.lastRebirthMs = nowMs;
      outcome.rebirth = { topic: rebirthTopic(node.group, node.node), payload: rebirthRequest(nowMs) };
      next = 'a Rebirth was requested (NCMD Node Control/Rebirth)';
    } else {
      next = 'a Rebirth was requested';
    }
    outcome.problem = `${why}; ${next}`;
    return outcome;
  }

  private death(node: EdgeNode, payload: SparkplugPayload): SparkplugOutcome {
    const bdSeq = bdSeqOf(payload);
    // The broker delivers the Will of an older session late: its bdSeq is not the BIRTH's.
    if (bdSeq !== undefined && node.bdSeq !== undefined && bdSeq !== node.bdSeq) {
      return { readings: [], malformed: false, oversized: false };
    }
    node.scope.born = false;
    node.seq = undefined;
    const outcome = this.offline(node.scope, `Sparkplug node offline (NDEATH of ${node.scope.label})`);
    for (const device of node.devices.values()) {
      outcome.readings.push(...this.offline(device, `Sparkplug node offline (NDEATH of ${node.scope.label})`).readings);
    }
    return outcome;
  }

  private deviceDeath(scope: Scope): SparkplugOutcome {
    return this.offline(scope, `Sparkplug device offline (DDEATH of ${scope.label})`);
  }

  private offline(scope: Scope, message: string): SparkplugOutcome {
    scope.born = false;
    const readings: TagReading[] = [];
    for (const tag of [...scope.tags.values()].flat()) {
      readings.push(this.remember(bad(tag, Quality.QUALITY_BAD, QualityReason.QUALITY_REASON_NOT_CONNECTED, message)));
    }
    return { readings, malformed: false, oversized: false };
  }
}

function uncertain(reading: TagReading & { ok: true }): TagReading {
  return { ...reading, quality: Quality.QUALITY_UNCERTAIN, reason: QualityReason.QUALITY_REASON_STALE };
}

function merge(first: SparkplugOutcome, second: SparkplugOutcome): SparkplugOutcome {
  return {
    readings: [...first.readings, ...second.readings],
    malformed: first.malformed || second.malformed,
    oversized: first.oversized || second.oversized,
    ...((first.problem ?? second.problem) !== undefined
      ? { problem: (first.problem ?? second.problem) as string }
      : {}),
    ...((first.rebirth ?? second.rebirth) ? { rebirth: first.rebirth ?? second.rebirth } : {}),
  };
}

function metricsByName(metrics: readonly SparkplugMetric[]): Map<string, SparkplugMetric> {
  return new Map(metrics.filter((metric) => metric.name !== '').map((metric) => [metric.name, metric]));
}

function bdSeqOf(payload: SparkplugPayload): bigint | undefined {
  const wire = payload.metrics.find((metric) => metric.name === 'bdSeq')?.wire;
  if (wire?.$case === 'longValue') return wire.value;
  if (wire?.$case === 'intValue') return BigInt(wire.value);
  return undefined;
}

function describeNames(names: string[]): string {
  if (names.length === 0) return 'no metrics';
  const shown = names.slice(0, 8).map((name) => `'${name}'`);
  return names.length > 8 ? `${shown.join(', ')} and ${names.length - 8} more` : shown.join(', ');
}
