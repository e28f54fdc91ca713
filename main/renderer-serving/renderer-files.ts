// Finds the file of the built renderer (out/renderer) that a request path names, for both ways
// the UI is served: the headless HTTP server and the desktop app's app:// protocol. Only files
// under the root are ever returned; paths without an extension fall back to index.html so that
// client-side routes (/tags, /alerts…) load the app shell.
import { stat } from 'node:fs/promises';
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

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFile =
  | { kind: 'file'; path: string; size: number; contentType: string; cacheControl: string }
  | { kind: 'refused'; status: 400 | 403 | 404 | 503; reason: string };

/** @param urlPathname the still percent-encoded path of the request URL, e.g. `/assets/index-1a2b.js` */
export async function findRendererFile(root: string, urlPathname: string): Promise<RendererFile> {
  const absoluteRoot = path.resolve(root);
  let relative: string;
  try {
    relative = decodeURIComponent(urlPathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'Malformed URL' };
  }
  if (relative.includes('\0')) return { kind: 'refused', status: 400, reason: 'Malformed URL' };
  let file = path.resolve(absoluteRoot, `.${path.sep}${relative}`);
  if (file !== absoluteRoot && !file.startsWith(absoluteRoot + path.sep)) {
    return { kind: 'refused', status: 403, reason: 'Forbidden' };
  }
  let info = await stat(file).catch(() => undefined);
  if (!info || info.isDirectory()) {
    if (path.extname(relative) !== '') return { kind: 'refused', status: 404, reason: 'Not found' };
    file = path.join(absoluteRoot, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info) {
      return { kind: 'refused', status: 503, reason: 'The user interface is not built. Run "npm run build" first.' };
    }
  }
  const contentType = contentTypeOf(file);
  return {
    kind: 'file',
    path: file,
    size: info.size,
    contentType,
    // Hashed assets never change; the HTML must always be revalidated.
    cacheControl: path.extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
  };
}
