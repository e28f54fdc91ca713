// The tRPC context: the gateway (its start, then its services) and the connection a call came
// over. A transport creates one per connection (a WebSocket, the desktop window, a test's direct
// caller); signing in on a connection sets its session token, so later calls on it are that user's.
import type { AuthenticatedSession } from '../auth/auth-service.ts';
import type { GatewayStartup } from '../gateway/gateway-startup.ts';
import type { ApiServices } from './api-services.ts';

export type ApiTransport = 'websocket' | 'ipc' | 'direct';

export interface ApiConnection {
  transport: ApiTransport;
  /** the peer's IP address (WebSocket); null for the desktop window */
  remoteAddress: string | null;
  userAgent: string | null;
  /** on this machine: the desktop window or a loopback address */
  isLocal: boolean;
  /** set by auth.login and auth.setup, cleared by auth.logout */
  sessionToken: string | null;
  /** the WebSocket's send backlog, which live streams wait on (main/headless/slow-client-guard.ts) */
  outbound?: OutboundRoom;
}

/** A transport's send backlog: room() resolves when the client has read enough to send it more. */
export interface OutboundRoom {
  room(): Promise<void>;
}

export interface ApiContext {
  /** the gateway a transport serves, from the first second of its start (see trpc.ts) */
  gateway: GatewayStartup;
  connection: ApiConnection;
}

/** What every procedure sees once the gateway runs and the caller's session token was checked. */
export interface ResolvedContext extends ApiContext {
  services: ApiServices;
  session: AuthenticatedSession | null;
  /** why the connection's token was refused, when it was */
  sessionRefusal: 'unknown' | 'revoked' | 'expired' | 'idle' | null;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

export function isLoopbackAddress(address: string | null | undefined): boolean {
  return address !== null && address !== undefined && LOOPBACK.test(address);
}

export function createConnection(
  transport: ApiTransport,
  peer: { remoteAddress?: string | null; userAgent?: string | null; sessionToken?: string | null } = {},
): ApiConnection {
  const remoteAddress = peer.remoteAddress ?? null;
  return {
    transport,
    remoteAddress,
    userAgent: peer.userAgent ?? null,
    isLocal: transport !== 'websocket' || isLoopbackAddress(remoteAddress),
    sessionToken: peer.sessionToken ?? null,
  };
}
