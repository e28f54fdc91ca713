// The headless HTTP server: the built renderer, a health endpoint, and security headers on
// every response. Binds 127.0.0.1 unless told otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../gateway/create-gateway.ts';
import { SECURITY_HEADERS } from '../renderer-serving/security-headers.ts';
import { staticFileHandler } from './static-files.ts';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  rendererDir: string;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(gateway: Gateway, options: HttpServerOptions): Promise<RunningHttpServer> {
  const serveStatic = staticFileHandler(options.rendererDir);
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    if (req.url === '/healthz') {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(JSON.stringify({ status: 'ok', database: gateway.database.kind }));
      return;
    }
    serveStatic(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${(error as Error).message}`);
    });
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
    url: `http://${hostForUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
