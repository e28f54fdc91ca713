// A typed API client over the headless server's WebSocket, for Node (tests, benchmarks, the
// e2e suite): the same tRPC client the browser uses, with the `ws` package as its WebSocket.
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../main/api/app-router.ts';

export interface WsApiClientOptions {
  /** http(s)://host:port of the headless server */
  baseUrl: string;
  /** a session token to resume, sent as a connection parameter */
  token?: string;
  /** a CA certificate to trust (a test's self-signed certificate) */
  ca?: string | Buffer;
  origin?: string;
}

export function wsApiClient(options: WsApiClientOptions) {
  const url = `${options.baseUrl.replace(/^http/, 'ws')}/api`;
  class NodeWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, {
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      });
    }
  }
  const wsClient = createWSClient({
    url,
    WebSocket: NodeWebSocket as unknown as typeof globalThis.WebSocket,
    ...(options.token ? { connectionParams: { token: options.token } } : {}),
    retryDelayMs: () => 60_000,
  });
  const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
  return { api, close: () => wsClient.close() };
}
