// The renderer's typed API client. In the desktop window it talks over IPC (window.gatewayApi,
// set by the preload); in a browser it talks over the headless server's WebSocket at /api and
// keeps its session token for the tab, so that a reload stays signed in.
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
// registers the live value batches' wire format with superjson
import '../../../common/live-values-message.ts';
import type { GatewayBridge } from '../../../common/ipc-api-protocol.ts';
import type { AppRouter } from '../../../main/api/app-router.ts';
import { ipcLink } from './ipc-link.ts';
import { sessionEndedLink } from './session-ended-link.ts';
import { sessionTokenLink, type TokenStore } from './session-token-link.ts';

export type ApiClient = TRPCClient<AppRouter>;
export type ApiOutputs = inferRouterOutputs<AppRouter>;
export type ApiInputs = inferRouterInputs<AppRouter>;

export interface ApiClientEvents {
  /** a call was refused because the session ended (expired or revoked) */
  onSessionEnded?: () => void;
  /** how many sign-ins the window has seen: a refusal of a call sent before the last one is stale */
  signInCount?: () => number;
  /** the connection to the gateway dropped (true) or came back (false) */
  onConnectionLost?: (lost: boolean) => void;
}

const TOKEN_KEY = 'gateway.session';

/** The token a browser tab resumes its session with (the desktop window needs none). */
const tabToken: TokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY)),
};

export function createApiClient(events: ApiClientEvents = {}): ApiClient {
  const ended = sessionEndedLink<AppRouter>(
    () => events.onSessionEnded?.(),
    () => events.signInCount?.() ?? 0,
  );
  const bridge = (window as { gatewayApi?: GatewayBridge }).gatewayApi;
  if (bridge) return createTRPCClient<AppRouter>({ links: [ended, ipcLink<AppRouter>(bridge)] });
  const wsClient = createWSClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`,
    connectionParams: () => {
      const token = tabToken.get();
      return token ? { token } : null;
    },
  });
  // The client may replace a connection by a new one (a retired socket closes while its successor
  // is open), so the connection state, not a socket's close event, says whether we are offline.
  wsClient.connectionState.subscribe({
    next: (state) => events.onConnectionLost?.(state.state === 'connecting' && state.error !== null),
  });
  return createTRPCClient<AppRouter>({
    links: [ended, sessionTokenLink<AppRouter>(tabToken), wsLink({ client: wsClient, transformer: superjson })],
  });
}
