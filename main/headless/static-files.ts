// Serves the built renderer (out/renderer) to the browser in headless mode. Only files under
// the root are ever read; unknown paths fall back to index.html for client-side routing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

export function staticFileHandler(root: string) {
  const absoluteRoot = path.resolve(root);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Malformed URL');
      return;
    }
    let file = path.resolve(absoluteRoot, `.${relative}`);
    if (file !== absoluteRoot && !file.startsWith(absoluteRoot + path.sep)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (!info || info.isDirectory()) {
      // Client-side routes (/tags, /alerts…) are served the app shell; missing assets are 404s.
      if (path.extname(relative) !== '') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      file = path.join(absoluteRoot, 'index.html');
      info = await stat(file).catch(() => undefined);
      if (!info) {
        res
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The user interface is not built. Run "npm run build" first.');
        return;
      }
    }
    const extension = path.extname(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': info.size,
      // Hashed assets never change; the HTML must always be revalidated.
      'cache-control': extension === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };
}
