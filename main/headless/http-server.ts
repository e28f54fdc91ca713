// The headless HTTP server: the built renderer, a health endpoint, the start's state for the page
// (common/startup-endpoint.ts), the API's WebSocket at /api, and security headers on every response. Binds 127.0.0.1 unless told otherwise; HTTPS when given
// a certificate and key. It starts before the gateway has (serve.ts), so that the sign-in page
// shows at once: /healthz says whether the gateway is starting, running or failed to start.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { STARTUP_PATH } from '../../common/startup-endpoint.ts';
import type { GatewayStartup, StartupState } from '../gateway/gateway-startup.ts';
import { SECURITY_HEADERS } from '../renderer-serving/security-headers.ts';
import { staticFileHandler } from './static-files.ts';
import type { SlowClientLimits } from './slow-client-guard.ts';
import { attachWebSocketApi } from './websocket-api.ts';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  rendererDir: string;
  /** serve HTTPS and WSS with this certificate and key (PEM) */
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
  /** web origins allowed to use the API besides the gateway's own page */
  allowedOrigins?: readonly string[];
  /** see WebSocketApiOptions.slowClients (tests make them small) */
  slowClients?: SlowClientLimits;
}

export interface RunningHttpServer {
  url: string;
  /** resolves once the API's modules have loaded (the first WebSocket, or the start's end) */
  apiLoaded: Promise<void>;
  close(): Promise<void>;
}

/**
 * /healthz: 200 {status: 'ok', database} once the gateway runs; 503 while it starts (with the
 * stage) or after its start failed (with the reason), so that a probe waiting for 200 waits for
 * the running gateway.
 */
export function healthOf(gateway: GatewayStartup): { status: number; body: Record<string, unknown> } {
  const state: StartupState = gateway.state();
  if (state.phase === 'failed') return { status: 503, body: { status: 'failed', message: state.message } };
  if (state.phase === 'starting') {
    return { status: 503, body: { status: 'starting', stage: state.stage, step: state.step, steps: state.steps } };
  }
  const services = gateway.services();
  return { status: 200, body: { status: 'ok', database: services?.database.kind } };
}

export async function startHttpServer(gateway: GatewayStartup, options: HttpServerOptions): Promise<RunningHttpServer> {
  const serveStatic = staticFileHandler(options.rendererDir);
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // No request has a body here; closing the connection stops one from being uploaded.
      res
        .writeHead(405, { allow: 'GET, HEAD', connection: 'close', 'content-type': 'text/plain; charset=utf-8' })
        .end('Method not allowed');
      return;
    }
    if (req.url === STARTUP_PATH) {
      // common/startup-endpoint.ts: the page's form before the API's modules have loaded
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(JSON.stringify(gateway.state()));
      return;
    }
    if (req.url === '/healthz') {
      const health = healthOf(gateway);
      res
        .writeHead(health.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(JSON.stringify(health.body));
      return;
    }
    serveStatic(req, res).catch((error: unknown) => {
      console.error('[http] could not serve', req.url, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error; the gateway log has the details.');
    });
  };
  // The server only answers GET and HEAD: no request has a body, so none is read; headers are
  // capped at 16 KiB.
  const serverOptions = { maxHeaderSize: 16 * 1024 };
  const server = options.tls
    ? https.createServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, handle)
    : http.createServer(serverOptions, handle);
  const api = attachWebSocketApi(server as http.Server, gateway, {
    secure: options.tls !== undefined,
    allowedOrigins: options.allowedOrigins ?? [],
    slowClients: options.slowClients,
  });
  // Slow or stalled clients must not hold sockets forever.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    apiLoaded: api.loaded,
    close: () =>
      new Promise<void>((resolve) => {
        api.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
