// The renderer's typed API client. In the desktop window it talks over IPC (window.gatewayApi,
// set by the preload); in a browser it talks over the headless server's WebSocket at /api and
// keeps its session token for the tab, so that a reload stays signed in.
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { GatewayBridge } from '../../../common/ipc-api-protocol.ts';
import type { AppRouter } from '../../../main/api/app-router.ts';
import { ipcLink } from './ipc-link.ts';
import { sessionTokenLink, type TokenStore } from './session-token-link.ts';

export type ApiClient = TRPCClient<AppRouter>;

const TOKEN_KEY = 'gateway.session';

/** The token a browser tab resumes its session with (the desktop window needs none). */
const tabToken: TokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY)),
};

export function createApiClient(): ApiClient {
  const bridge = (window as { gatewayApi?: GatewayBridge }).gatewayApi;
  if (bridge) return createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(bridge)] });
  const wsClient = createWSClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`,
    connectionParams: () => {
      const token = tabToken.get();
      return token ? { token } : null;
    },
  });
  return createTRPCClient<AppRouter>({
    links: [sessionTokenLink<AppRouter>(tabToken), wsLink({ client: wsClient, transformer: superjson })],
  });
}
