// Serves the built renderer (out/renderer) to the browser in headless mode; which file a path
// names (and which it may not) is decided by renderer-serving/renderer-files.ts.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findRendererFile } from '../renderer-serving/renderer-files.ts';

export function staticFileHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = await findRendererFile(root, url.pathname);
    if (found.kind === 'refused') {
      res.writeHead(found.status, { 'content-type': 'text/plain; charset=utf-8' }).end(found.reason);
      return;
    }
    res.writeHead(200, {
      'content-type': found.contentType,
      'content-length': found.size,
      'cache-control': found.cacheControl,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.path).pipe(res);
  };
}
