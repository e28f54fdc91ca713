// Serves the built renderer (out/renderer) to the browser in headless mode; which file a path
// names (and which it may not) is decided by renderer-serving/renderer-files.ts.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STARTUP_PATH } from '../../common/startup-endpoint.ts';
import { findRendererFile } from '../renderer-serving/renderer-files.ts';

/**
 * Sent with the page: the browser asks for the start's state while it still parses the scripts,
 * which the page then reads without a round trip (renderer/src/stores/session-store.ts).
 */
const PAGE_PRELOADS = `<${STARTUP_PATH}>; rel=preload; as=fetch; crossorigin=anonymous`;

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
      ...(found.contentType.startsWith('text/html') && { link: PAGE_PRELOADS }),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.path).pipe(res);
  };
}
