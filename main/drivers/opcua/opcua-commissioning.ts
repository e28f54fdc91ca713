// OPC UA commissioning: what the engineer does before a device is saved — list a server's
// endpoints, browse its address space (continuation points for folders of thousands of
// children), read a few nodes. Sessions are kept for a minute after their last use, so a
// continuation point stays valid between two "load more" clicks. Failures are refused with the
// same sentences the driver uses.
import type { TagAccess, TagDataType } from '../../../common/enums.ts';
import { OperationRefusedError } from '../../gateway/operation-refused-error.ts';
import { DriverError } from '../driver-contract.ts';
import { parseOpcUaDeviceSettings, parseOpcUaEndpoint } from './opcua-device-settings.ts';
import { classifyOpcUaError } from './opcua-errors.ts';
import { loadOpcUaClient } from './opcua-module.ts';
import type { OpcUaPki } from './opcua-pki.ts';
import { severityOf } from './opcua-quality.ts';
import { openOpcUaConnection, withTimeout, type OpcUaConnection } from './opcua-session.ts';
import { decodeVariant, tagTypeOfUaType } from './opcua-values.ts';

export interface OpcUaTarget {
  endpoint: string;
  /** the device's config.opcua (security, user) */
  opcua?: Record<string, unknown>;
}

export interface OpcUaEndpointInfo {
  endpointUrl: string;
  securityMode: string;
  securityPolicy: string;
  userTokens: string[];
  serverCertificateThumbprint: string | null;
  securityLevel: number;
}

export interface OpcUaBrowseEntry {
  nodeId: string;
  browseName: string;
  displayName: string;
  nodeClass: string;
  /** Variables only: what the tag's address is */
  isVariable: boolean;
}

export interface OpcUaBrowsePage {
  nodeId: string;
  references: OpcUaBrowseEntry[];
  /** pass to browse() to get the next page; null when this was the last */
  continuationPoint: string | null;
}

export type OpcUaReadResult =
  | { nodeId: string; ok: true; value: unknown; dataType: string; statusCode: number; sourceTimestamp: Date | null }
  | { nodeId: string; ok: false; statusCode: number; error: string };

/** What the attributes panel shows for one node, and what a tag made from it would be. */
export interface OpcUaNodeAttributes {
  nodeId: string;
  nodeClass: string;
  browseName: string;
  displayName: string;
  description: string | null;
  /** the DataType's name (Double, UInt32, or a structure's browse name); null for non-variables */
  dataType: string | null;
  value: unknown;
  /** the value's status code by name (Good, BadNotReadable, …) */
  statusCode: string;
  /** the value could not be decoded or read: why, in words */
  valueError: string | null;
  sourceTimestamp: Date | null;
  /** CurrentRead, CurrentWrite, HistoryRead, … for this session's user */
  accessLevel: string[];
  /** the tag a node would become: null when it is no variable or its type has no tag equivalent */
  suggestedTag: { dataType: TagDataType; accessType: TagAccess } | null;
}

const ACCESS_FLAGS = [
  'CurrentRead',
  'CurrentWrite',
  'HistoryRead',
  'HistoryWrite',
  'SemanticChange',
  'StatusWrite',
  'TimestampWrite',
];

interface CachedSession {
  connection: Promise<OpcUaConnection>;
  timer: NodeJS.Timeout | undefined;
}

const IDLE_MS = 60_000;

function refusal(error: unknown, endpoint: string): OperationRefusedError {
  const problem = error instanceof DriverError ? error : classifyOpcUaError(error, endpoint);
  return new OperationRefusedError('invalid', problem.message, {
    field: problem.field ?? 'endpoint',
    reason: `OPCUA_${problem.kind.toUpperCase()}`,
  });
}

export class OpcUaCommissioning {
  private readonly sessions = new Map<string, CachedSession>();

  constructor(
    readonly pki: OpcUaPki,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The endpoints a server offers (an unsecured GetEndpoints request, as every client makes). */
  async endpoints(endpoint: string): Promise<OpcUaEndpointInfo[]> {
    let url;
    try {
      url = parseOpcUaEndpoint(endpoint);
    } catch (error) {
      throw refusal(error, endpoint);
    }
    const ua = await loadOpcUaClient();
    const client = ua.OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      clientCertificateManager: await this.pki.certificateManager(),
    });
    try {
      await withTimeout(client.connect(url), this.timeoutMs, `connecting to ${url}`);
      const endpoints = await withTimeout(client.getEndpoints(), this.timeoutMs, 'listing the endpoints');
      const { createHash } = await import('node:crypto');
      return endpoints.map((e) => ({
        endpointUrl: e.endpointUrl ?? url,
        securityMode: ua.MessageSecurityMode[e.securityMode],
        securityPolicy: (e.securityPolicyUri ?? '').split('#').pop() ?? '',
        // a server may offer one token type under several policies: the engineer picks the type
        userTokens: [...new Set((e.userIdentityTokens ?? []).map((token) => ua.UserTokenType[token.tokenType]))],
        serverCertificateThumbprint:
          e.serverCertificate && e.serverCertificate.length > 0
            ? createHash('sha1').update(e.serverCertificate).digest('hex')
            : null,
        securityLevel: e.securityLevel,
      }));
    } catch (error) {
      throw refusal(error, url);
    } finally {
      await withTimeout(client.disconnect(), 2000, 'disconnecting').catch(() => undefined);
    }
  }

  private async session(target: OpcUaTarget): Promise<OpcUaConnection> {
    let settings;
    try {
      settings = parseOpcUaDeviceSettings(target.endpoint, { opcua: target.opcua ?? {} });
    } catch (error) {
      throw refusal(error, target.endpoint);
    }
    const key = JSON.stringify(settings);
    let cached = this.sessions.get(key);
    if (!cached) {
      const connection = openOpcUaConnection(settings, this.pki, this.timeoutMs);
      const entry: CachedSession = { connection, timer: undefined };
      cached = entry;
      this.sessions.set(key, entry);
      connection.then(
        (open) => open.onLost(() => this.sessions.get(key) === entry && this.sessions.delete(key)),
        () => this.sessions.delete(key),
      );
    }
    clearTimeout(cached.timer);
    const entry = cached;
    entry.timer = setTimeout(() => {
      if (this.sessions.get(key) !== entry) return;
      this.sessions.delete(key);
      void entry.connection.then((open) => open.close()).catch(() => undefined);
    }, IDLE_MS);
    entry.timer.unref();
    try {
      return await entry.connection;
    } catch (error) {
      throw refusal(error, settings.endpointUrl);
    }
  }

  /** One page of a node's children (hierarchical references, forward), up to maxReferences. */
  async browse(
    target: OpcUaTarget,
    nodeId = 'i=85',
    options: { continuationPoint?: string; maxReferences?: number } = {},
  ): Promise<OpcUaBrowsePage> {
    const ua = await loadOpcUaClient();
    const { session } = await this.session(target);
    // A page holds at most this many references; the rest comes by continuation point.
    session.requestedMaxReferencesPerNode = options.maxReferences ?? 500;
    try {
      const result = options.continuationPoint
        ? await session.browseNext(Buffer.from(options.continuationPoint, 'base64'), false)
        : await session.browse({
            nodeId,
            browseDirection: ua.BrowseDirection.Forward,
            referenceTypeId: 'HierarchicalReferences',
            includeSubtypes: true,
            nodeClassMask: 0,
            resultMask: 0x3f,
          });
      if (severityOf(result.statusCode.value) === 'bad') {
        throw new OperationRefusedError(
          'invalid',
          result.statusCode.value === ua.StatusCodes.BadNodeIdUnknown.value
            ? `the server has no node '${nodeId}'`
            : `the server refused to browse '${nodeId}' (${result.statusCode.name})`,
          { field: 'nodeId', reason: 'OPCUA_BROWSE_REFUSED' },
        );
      }
      return {
        nodeId,
        references: (result.references ?? []).map((ref) => ({
          nodeId: ref.nodeId.toString(),
          browseName: ref.browseName.toString(),
          displayName: ref.displayName.text ?? ref.browseName.name ?? '',
          nodeClass: ua.NodeClass[ref.nodeClass] ?? String(ref.nodeClass),
          isVariable: ref.nodeClass === ua.NodeClass.Variable,
        })),
        continuationPoint:
          result.continuationPoint && result.continuationPoint.length > 0
            ? result.continuationPoint.toString('base64')
            : null,
      };
    } catch (error) {
      if (error instanceof OperationRefusedError) throw error;
      throw refusal(error, target.endpoint);
    }
  }

  /** Reads the current value of a few nodes (the "read" of a commissioning tool). */
  async read(target: OpcUaTarget, nodeIds: string[]): Promise<OpcUaReadResult[]> {
    const ua = await loadOpcUaClient();
    const { session } = await this.session(target);
    let values;
    try {
      values = await session.read(nodeIds.map((nodeId) => ({ nodeId, attributeId: ua.AttributeIds.Value })));
    } catch (error) {
      throw refusal(error, target.endpoint);
    }
    return values.map((dataValue, index) => {
      const nodeId = nodeIds[index] as string;
      const code = dataValue.statusCode.value;
      if (severityOf(code) === 'bad') {
        return { nodeId, ok: false, statusCode: code, error: `${dataValue.statusCode.name} for '${nodeId}'` };
      }
      const decoded = decodeVariant(ua, dataValue.value);
      if (!decoded.ok) return { nodeId, ok: false, statusCode: code, error: decoded.message };
      return {
        nodeId,
        ok: true,
        value: decoded.raw,
        dataType: ua.DataType[dataValue.value.dataType] ?? String(dataValue.value.dataType),
        statusCode: code,
        sourceTimestamp: dataValue.sourceTimestamp ?? null,
      };
    });
  }

  /** Everything the attributes panel shows about one node, in one read (two for a custom data type). */
  async attributes(target: OpcUaTarget, nodeId: string): Promise<OpcUaNodeAttributes> {
    const ua = await loadOpcUaClient();
    const { session } = await this.session(target);
    const ids = ua.AttributeIds;
    const wanted = [
      ids.NodeClass,
      ids.BrowseName,
      ids.DisplayName,
      ids.Description,
      ids.Value,
      ids.DataType,
      ids.UserAccessLevel,
    ];
    let values;
    try {
      values = await session.read(wanted.map((attributeId) => ({ nodeId, attributeId })));
    } catch (error) {
      throw refusal(error, target.endpoint);
    }
    const [nodeClass, browseName, displayName, description, value, dataType, accessLevel] = values;
    if (!nodeClass || nodeClass.statusCode.value === ua.StatusCodes.BadNodeIdUnknown.value) {
      throw new OperationRefusedError('invalid', `the server has no node '${nodeId}'`, {
        field: 'nodeId',
        reason: 'OPCUA_BROWSE_REFUSED',
      });
    }
    const good = (dataValue: (typeof values)[number] | undefined) =>
      dataValue !== undefined && severityOf(dataValue.statusCode.value) !== 'bad';
    const className = ua.NodeClass[nodeClass.value.value as number] ?? String(nodeClass.value.value);
    const isVariable = nodeClass.value.value === ua.NodeClass.Variable;

    let typeName: string | null = null;
    if (isVariable && good(dataType)) {
      const typeId = dataType!.value.value as InstanceType<typeof ua.NodeId>;
      const builtIn =
        typeId.namespace === 0 && typeof typeId.value === 'number' ? ua.DataType[typeId.value] : undefined;
      if (builtIn) typeName = builtIn;
      else {
        const [name] = await session.read([{ nodeId: typeId, attributeId: ids.BrowseName }]).catch(() => []);
        typeName = good(name) ? String(name!.value.value?.name ?? typeId.toString()) : typeId.toString();
      }
    }

    let decodedValue: unknown = null;
    let valueError: string | null = null;
    if (isVariable && value) {
      if (severityOf(value.statusCode.value) === 'bad') valueError = `${value.statusCode.name} for '${nodeId}'`;
      else {
        const decoded = decodeVariant(ua, value.value);
        if (decoded.ok) decodedValue = decoded.raw;
        else valueError = decoded.message;
      }
    }
    const accessBits = isVariable && good(accessLevel) ? Number(accessLevel!.value.value) : 0;
    const access = ACCESS_FLAGS.filter((_, bit) => (accessBits & (1 << bit)) !== 0);
    const tagType = typeName ? tagTypeOfUaType(typeName) : undefined;
    const canRead = access.includes('CurrentRead');
    const canWrite = access.includes('CurrentWrite');
    return {
      nodeId,
      nodeClass: className,
      browseName: good(browseName) ? String(browseName!.value.value?.toString() ?? '') : '',
      displayName: good(displayName) ? String(displayName!.value.value?.text ?? '') : '',
      description: good(description) ? ((description!.value.value?.text as string | undefined) ?? null) : null,
      dataType: typeName,
      value: decodedValue,
      statusCode: isVariable && value ? value.statusCode.name : 'Good',
      valueError,
      sourceTimestamp: isVariable ? (value?.sourceTimestamp ?? null) : null,
      accessLevel: access,
      suggestedTag:
        isVariable && tagType
          ? { dataType: tagType, accessType: canWrite ? (canRead ? 'ReadWrite' : 'Write') : 'Read' }
          : null,
    };
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      sessions.map(async (entry) => {
        clearTimeout(entry.timer);
        await (await entry.connection.catch(() => undefined))?.close();
      }),
    );
  }
}
