// The API over WebSocket for headless mode: tRPC's ws adapter on the headless HTTP server, at
// /api. Each connection is its own API connection: signing in on it makes it that user's; a
// browser that reloads passes its token back as a connection parameter. Foreign web pages are
// refused at the upgrade (origin-policy.ts); messages, batches and connections are bounded.
//
// It is attached while the gateway is still starting: the checks above apply from the first
// second, and calls are refused as "still starting" (trpc.ts) until the gateway runs. The API's
// router, tRPC's adapter and ws (most of the gateway's modules: a second or more on a busy
// machine) load at the first upgrade, or when the gateway's start has ended: not before the
// server listens, and not while the page's own files are being served; that upgrade waits.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { createConnection } from '../api/api-context.ts';
import type { GatewayStartup } from '../gateway/gateway-startup.ts';
import { isAllowedOrigin } from './origin-policy.ts';
import { DEFAULT_SLOW_CLIENT_LIMITS, SlowClientGuard, type SlowClientLimits } from './slow-client-guard.ts';

export const API_PATH = '/api';

/** Room for a 10 MiB import file (transfer-procedures.ts) in its JSON envelope. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const MAX_CONNECTIONS = 200;
const MAX_BATCH = 50;

export interface WebSocketApiOptions {
  /** the server speaks TLS (wss:) */
  secure: boolean;
  /** origins allowed besides the gateway's own page, e.g. https://gateway.plant.local:8480 */
  allowedOrigins: readonly string[];
  /** when live streams hold their batches for a client that does not read, and when it is closed */
  slowClients?: SlowClientLimits | undefined;
}

export interface WebSocketApi {
  /** resolves once the router has loaded (whether or not it could) */
  loaded: Promise<void>;
  close(): void;
}

function refuseUpgrade(socket: Duplex, status: string, reason: string): void {
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${reason}\n`);
}

/** Loads ws, the router and tRPC's adapter, and serves the router on a WebSocket server. */
async function serveRouter(gateway: GatewayStartup, slowClients: SlowClientLimits): Promise<WebSocketServer> {
  const [{ WebSocketServer }, { applyWSSHandler }, { appRouter }] = await Promise.all([
    import('ws'),
    import('@trpc/server/adapters/ws'),
    import('../api/app-router.ts'),
  ]);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: ({ req, res, info }) => {
      const token = info.connectionParams?.token;
      const remoteAddress = req.socket.remoteAddress ?? null;
      return {
        gateway,
        connection: {
          ...createConnection('websocket', {
            remoteAddress,
            userAgent: req.headers['user-agent'] ?? null,
            sessionToken: typeof token === 'string' && token.length > 0 ? token : null,
          }),
          outbound: new SlowClientGuard(res, slowClients, `WebSocket client ${remoteAddress ?? '(unknown)'}`),
        },
      };
    },
  });
  return wss;
}

export function attachWebSocketApi(
  server: Server,
  gateway: GatewayStartup,
  options: WebSocketApiOptions,
): WebSocketApi {
  let serving: Promise<WebSocketServer> | undefined;
  let markLoaded: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  const load = (): Promise<WebSocketServer> => {
    if (!serving) {
      serving = serveRouter(gateway, options.slowClients ?? DEFAULT_SLOW_CLIENT_LIMITS);
      // A router that cannot load is a broken install: each upgrade is refused with the reason.
      serving.then(markLoaded, (error: unknown) => {
        console.error('[api] the API could not load:', error);
        markLoaded();
      });
    }
    return serving;
  };
  const stopLoadingLater = gateway.onChange((state) => {
    if (state.phase !== 'starting') void load().catch(() => undefined);
  });
  if (gateway.state().phase !== 'starting') void load().catch(() => undefined);
  let closed = false;
  let wss: WebSocketServer | undefined;
  /** upgrades waiting for the router: they count against the connection limit too */
  let waiting = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== API_PATH) return refuseUpgrade(socket, '404 Not Found', 'No WebSocket here; the API is at /api.');
    const request = { origin: req.headers.origin, host: req.headers.host, secure: options.secure };
    if (!isAllowedOrigin(request, options.allowedOrigins)) {
      console.warn(`[api] refused a WebSocket from origin ${req.headers.origin ?? '(none)'}`);
      return refuseUpgrade(socket, '403 Forbidden', 'This page may not use the gateway API (origin not allowed).');
    }
    if ((wss?.clients.size ?? 0) + waiting >= MAX_CONNECTIONS) {
      return refuseUpgrade(socket, '503 Service Unavailable', 'Too many connections to the gateway API.');
    }
    waiting++;
    void load()
      .finally(() => waiting--)
      .then(
        (ready) => {
          wss = ready;
          if (closed || socket.destroyed) return socket.destroy();
          ready.handleUpgrade(req, socket, head, (ws) => ready.emit('connection', ws, req));
        },
        () => refuseUpgrade(socket, '500 Internal Server Error', "The gateway's API could not load; see its log."),
      );
  });

  return {
    loaded,
    close() {
      closed = true;
      stopLoadingLater();
      if (!wss) return;
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
