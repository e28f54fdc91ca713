// Sparkplug B addresses and topics. A tag maps one metric of an edge node or of one of its
// devices: `spBv1.0/<group>/<edge node>|<metric name>` or `spBv1.0/<group>/<edge node>/<device>|<metric
// name>` — the same "where | what inside the payload" shape as a JSON mapping, with the node's
// identity instead of a topic (the driver subscribes to the node's NBIRTH/NDATA/NDEATH and its
// devices' DBIRTH/DDATA/DDEATH). The metric name is everything after the first "|", so it may
// hold "/" (Ignition's folders, "Node Control/Rebirth") and "|".
import { MappingError } from './mqtt-topic-mapping.ts';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export const SPARKPLUG_MESSAGE_TYPES = [
  'NBIRTH',
  'NDATA',
  'NDEATH',
  'NCMD',
  'DBIRTH',
  'DDATA',
  'DDEATH',
  'DCMD',
] as const;
export type SparkplugMessageType = (typeof SPARKPLUG_MESSAGE_TYPES)[number];

export interface SparkplugAddress {
  group: string;
  node: string;
  /** undefined: a metric of the edge node itself */
  device: string | undefined;
  metric: string;
}

/** A group, edge node or device id: no "/", "+" or "#" (Sparkplug 3.0, topic namespace). */
function validId(id: string): boolean {
  return id.length > 0 && !/[/+#]/.test(id);
}

export function isSparkplugAddress(address: string): boolean {
  return address.startsWith(`${SPARKPLUG_NAMESPACE}/`);
}

export function parseSparkplugAddress(address: string): SparkplugAddress {
  const bar = address.indexOf('|');
  const where = (bar < 0 ? address : address.slice(0, bar)).trim();
  const metric = bar < 0 ? '' : address.slice(bar + 1).trim();
  const [, group = '', node = '', device, ...rest] = where.split('/');
  if (rest.length > 0 || !validId(group) || !validId(node) || (device !== undefined && !validId(device))) {
    throw new MappingError(
      `"${where}" is not spBv1.0/<group>/<edge node>[/<device>] (ids without "/", "+" or "#"; no wildcards)`,
    );
  }
  if (metric === '') throw new MappingError(`name the metric after "|", e.g. ${where}|Temperature`);
  return { group, node, device, metric };
}

/** The key of an edge node or device: "group/node" or "group/node/device". */
export function sparkplugKey(group: string, node: string, device?: string): string {
  return device === undefined ? `${group}/${node}` : `${group}/${node}/${device}`;
}

export interface SparkplugTopic {
  group: string;
  type: SparkplugMessageType;
  node: string;
  device: string | undefined;
}

/** spBv1.0/<group>/<type>/<node>[/<device>], or undefined for other topics (STATE included). */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const [namespace, group = '', type = '', node = '', device, ...rest] = topic.split('/');
  if (namespace !== SPARKPLUG_NAMESPACE || rest.length > 0 || !validId(group) || !validId(node)) return undefined;
  if (!(SPARKPLUG_MESSAGE_TYPES as readonly string[]).includes(type)) return undefined;
  const forDevice = type.startsWith('D');
  if (forDevice !== (device !== undefined) || (device !== undefined && !validId(device))) return undefined;
  return { group, type: type as SparkplugMessageType, node, device };
}

/** The topic filters that carry everything an edge node and its devices publish. */
export function sparkplugFilters(group: string, node: string): string[] {
  return [
    ...['NBIRTH', 'NDATA', 'NDEATH'].map((type) => `${SPARKPLUG_NAMESPACE}/${group}/${type}/${node}`),
    ...['DBIRTH', 'DDATA', 'DDEATH'].map((type) => `${SPARKPLUG_NAMESPACE}/${group}/${type}/${node}/+`),
  ];
}

export function rebirthTopic(group: string, node: string): string {
  return `${SPARKPLUG_NAMESPACE}/${group}/NCMD/${node}`;
}
