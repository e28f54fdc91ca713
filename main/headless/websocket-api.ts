// The API over WebSocket for headless mode: tRPC's ws adapter on the headless HTTP server, at
// /api. Each connection is its own API connection: signing in on it makes it that user's; a
// browser that reloads passes its token back as a connection parameter. Foreign web pages are
// refused at the upgrade (origin-policy.ts); messages, batches and connections are bounded.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { createConnection } from '../api/api-context.ts';
import type { ApiServices } from '../api/api-services.ts';
import { appRouter } from '../api/app-router.ts';
import { isAllowedOrigin } from './origin-policy.ts';

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
}

export interface WebSocketApi {
  close(): void;
}

function refuseUpgrade(socket: Duplex, status: string, reason: string): void {
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${reason}\n`);
}

export function attachWebSocketApi(server: Server, services: ApiServices, options: WebSocketApiOptions): WebSocketApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: ({ req, info }) => {
      const token = info.connectionParams?.token;
      return {
        services,
        connection: createConnection('websocket', {
          remoteAddress: req.socket.remoteAddress ?? null,
          userAgent: req.headers['user-agent'] ?? null,
          sessionToken: typeof token === 'string' && token.length > 0 ? token : null,
        }),
      };
    },
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== API_PATH) return refuseUpgrade(socket, '404 Not Found', 'No WebSocket here; the API is at /api.');
    const request = { origin: req.headers.origin, host: req.headers.host, secure: options.secure };
    if (!isAllowedOrigin(request, options.allowedOrigins)) {
      console.warn(`[api] refused a WebSocket from origin ${req.headers.origin ?? '(none)'}`);
      return refuseUpgrade(socket, '403 Forbidden', 'This page may not use the gateway API (origin not allowed).');
    }
    if (wss.clients.size >= MAX_CONNECTIONS) {
      return refuseUpgrade(socket, '503 Service Unavailable', 'Too many connections to the gateway API.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  return {
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
