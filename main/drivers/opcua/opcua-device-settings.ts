// An OPC UA device's settings: `devices.endpoint` (opc.tcp://host:port/path) and
// `devices.config.opcua`. Validated with zod; every problem names its field, e.g.
// "config.opcua.securityPolicy: …".
import { z } from 'zod';
import { DriverError } from '../driver-contract.ts';

export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
/** The policies node-opcua supports that are not deprecated (Basic128Rsa15 and Basic256 are). */
export const OPCUA_SECURITY_POLICIES = [
  'None',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;

export type OpcUaSecurityMode = (typeof OPCUA_SECURITY_MODES)[number];
export type OpcUaSecurityPolicy = (typeof OPCUA_SECURITY_POLICIES)[number];

const schema = z
  .strictObject({
    securityMode: z.enum(OPCUA_SECURITY_MODES).default('None'),
    /** defaults to Basic256Sha256 when the mode signs, None otherwise */
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
    /** username authentication when set; anonymous otherwise */
    userName: z.string().min(1).max(255).optional(),
    password: z.string().max(1024).optional(),
    /** how often the server sends notifications; default: the tags' sampling interval */
    publishingIntervalMs: z.number().int().min(10).max(600_000).optional(),
    /** monitored items per subscription: many items share one subscription, never one each */
    maxItemsPerSubscription: z.number().int().min(1).max(100_000).default(1000),
    /** data-change deadband of every monitored item (Absolute: engineering units of the server) */
    deadbandType: z.enum(['None', 'Absolute', 'Percent']).default('None'),
    deadbandValue: z.number().min(0).default(0),
    /** values the server queues per item between two publishes */
    queueSize: z.number().int().min(1).max(1000).default(1),
    /** publishing intervals without data before the server sends a keep-alive */
    keepAliveCount: z.number().int().min(1).max(1000).default(10),
    sessionTimeoutMs: z.number().int().min(1000).max(3_600_000).default(60_000),
    /** connect although the server certificate does not name the endpoint's host (e.g. a PLC reached by IP) */
    acceptHostNameMismatch: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    if (value.password !== undefined && value.userName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['userName'], message: 'a password needs a userName' });
    }
    const policy = value.securityPolicy;
    if (value.securityMode === 'None' && policy !== undefined && policy !== 'None') {
      ctx.addIssue({
        code: 'custom',
        path: ['securityPolicy'],
        message: `${policy} needs securityMode Sign or SignAndEncrypt`,
      });
    }
    if (value.securityMode !== 'None' && policy === 'None') {
      ctx.addIssue({
        code: 'custom',
        path: ['securityPolicy'],
        message: `securityMode ${value.securityMode} needs a policy such as Basic256Sha256`,
      });
    }
  });

export type OpcUaOptions = z.output<typeof schema> & { securityPolicy: OpcUaSecurityPolicy };

export interface OpcUaDeviceSettings {
  endpointUrl: string;
  options: OpcUaOptions;
}

function fieldError(field: string, message: string): DriverError {
  return new DriverError('config', `${field}: ${message}`, field);
}

/** Only opc.tcp endpoints, with a host and a port. */
export function parseOpcUaEndpoint(endpoint: string): string {
  const text = endpoint.trim();
  const match = /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/\s]+)(?::(\d+))?(\/\S*)?$/i.exec(text);
  if (!match) {
    throw fieldError('endpoint', `"${endpoint}" is not an OPC UA endpoint (e.g. opc.tcp://192.168.1.20:4840)`);
  }
  const port = match[2] === undefined ? 4840 : Number(match[2]);
  if (port < 1 || port > 65535) throw fieldError('endpoint', `port ${match[2]} is not 1…65535`);
  return `opc.tcp://${match[1]}:${port}${match[3] ?? ''}`;
}

export function parseOpcUaOptions(raw: unknown): OpcUaOptions {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = ['config.opcua', ...issue.path.map(String), ...keys.slice(0, 1)].join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `is not an OPC UA setting (known: ${Object.keys(schema.shape).join(', ')})`
        : issue.message;
    throw fieldError(field, message);
  }
  const options = result.data;
  return {
    ...options,
    securityPolicy: options.securityPolicy ?? (options.securityMode === 'None' ? 'None' : 'Basic256Sha256'),
  };
}

export function parseOpcUaDeviceSettings(endpoint: string, config: Record<string, unknown>): OpcUaDeviceSettings {
  const raw = config.opcua;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw fieldError('config.opcua', 'must be an object of OPC UA settings');
  }
  return { endpointUrl: parseOpcUaEndpoint(endpoint), options: parseOpcUaOptions(raw) };
}

/** A NodeId in its string form: ns=2;s=Line1.Speed, ns=3;i=1001, nsu=urn:…;s=…, g=…, b=…. */
const NODE_ID =
  /^(?:(?:ns=\d{1,5}|nsu=[^;]+);)?(?:i=\d{1,10}|s=.+|g=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|b=[A-Za-z0-9+/=]+)$/;

export function isNodeIdText(address: string): boolean {
  return NODE_ID.test(address.trim());
}
