// Opens one OPC UA client connection and session with the device's security settings and the
// gateway's PKI: the driver, the browser and endpoint discovery all connect through here. The
// client never reconnects by itself (maxRetry 0): the device runner owns the retry schedule,
// so a lost connection is reported once and comes back with every subscription re-created.
import os from 'node:os';
import type { ClientSession, OPCUAClient, UserIdentityInfo } from 'node-opcua-client';
import { serverCertificateProblem } from './opcua-certificate-checks.ts';
import { classifyOpcUaError } from './opcua-errors.ts';
import type { OpcUaDeviceSettings } from './opcua-device-settings.ts';
import { loadOpcUaClient } from './opcua-module.ts';
import type { OpcUaPki } from './opcua-pki.ts';

export const GATEWAY_APPLICATION_NAME = 'Gateway Workstation';

export function gatewayApplicationUri(): string {
  return `urn:${os.hostname()}:GatewayWorkstation`;
}

export interface OpcUaConnection {
  client: OPCUAClient;
  session: ClientSession;
  /** called once when the connection drops (not after close()) */
  onLost(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms while ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function openOpcUaConnection(
  settings: OpcUaDeviceSettings,
  pki: OpcUaPki,
  timeoutMs: number,
): Promise<OpcUaConnection> {
  const ua = await loadOpcUaClient();
  const { endpointUrl, options } = settings;
  const certificateManager = await pki.certificateManager();
  const client = ua.OPCUAClient.create({
    applicationName: GATEWAY_APPLICATION_NAME,
    applicationUri: gatewayApplicationUri(),
    clientName: GATEWAY_APPLICATION_NAME,
    clientCertificateManager: certificateManager,
    securityMode: ua.MessageSecurityMode[options.securityMode],
    securityPolicy: ua.SecurityPolicy[options.securityPolicy],
    endpointMustExist: false,
    keepSessionAlive: true,
    requestedSessionTimeout: options.sessionTimeoutMs,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    transportTimeout: Math.max(2000, timeoutMs),
  });
  let closed = false;
  const lostListeners: Array<(reason: string) => void> = [];
  let lost = false;
  const reportLost = (reason: string) => {
    if (closed || lost) return;
    lost = true;
    for (const listener of lostListeners) listener(reason);
  };
  client.on('connection_lost', () => reportLost(`the connection to ${endpointUrl} was lost`));
  client.on('close', () => reportLost(`the connection to ${endpointUrl} was closed`));
  const dispose = async () => {
    closed = true;
    await withTimeout(client.disconnect(), 2000, 'disconnecting').catch(() => undefined);
  };
  try {
    await withTimeout(client.connect(endpointUrl), timeoutMs, `connecting to ${endpointUrl}`);
    // node-opcua has checked the certificate's trust and validity; its names are ours to check,
    // before a session sends the user's credentials.
    const certificate = [client.serverCertificate].flat()[0];
    if (options.securityMode !== 'None' && certificate && certificate.length > 0) {
      const endpoints = await withTimeout(client.getEndpoints(), timeoutMs, 'reading the endpoints');
      const problem = serverCertificateProblem({
        endpointUrl,
        certificate,
        applicationUri: endpoints[0]?.server?.applicationUri ?? undefined,
        acceptHostNameMismatch: options.acceptHostNameMismatch,
      });
      if (problem) throw problem;
    }
    const identity: UserIdentityInfo =
      options.userName !== undefined
        ? ({
            type: ua.UserTokenType.UserName,
            userName: options.userName,
            password: options.password ?? '',
          } as UserIdentityInfo)
        : ({ type: ua.UserTokenType.Anonymous } as UserIdentityInfo);
    const session = await withTimeout(client.createSession(identity), timeoutMs, 'creating a session');
    session.on('keepalive_failure', () => reportLost(`${endpointUrl} stopped answering keep-alives`));
    session.on('session_closed', () => reportLost(`${endpointUrl} closed the session`));
    return {
      client,
      session,
      onLost: (listener) => lostListeners.push(listener),
      async close() {
        closed = true;
        await withTimeout(session.close(true), 2000, 'closing the session').catch(() => undefined);
        await dispose();
      },
    };
  } catch (error) {
    await dispose();
    throw classifyOpcUaError(error, endpointUrl);
  }
}
