// The app:// protocol that serves the built renderer to the window, instead of file://. A
// privileged standard scheme gives the pages a real origin (so 'self' in the CSP, the
// navigation policy and the IPC sender check mean something), and the handler serves only the
// files under out/renderer, with their MIME types and the security headers.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { findRendererFile } from '../renderer-serving/renderer-files.ts';
import { SECURITY_HEADERS } from '../renderer-serving/security-headers.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/**
 * Must run before the app is ready: privileges can only be granted then. Standard and secure give
 * the pages an origin, fetch and a code cache; corsEnabled, bypassCSP and service workers are
 * deliberately left off, so nothing outside the app can read app:// and the CSP always applies.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** The handler for protocol.handle(APP_SCHEME, …), serving files under rendererDir. */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host.toLowerCase() !== APP_HOST) return refusal(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed');
    const found = await findRendererFile(rendererDir, url.pathname);
    if (found.kind === 'refused') return refusal(found.status, found.reason);
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': found.contentType,
      'content-length': String(found.size),
      'cache-control': found.cacheControl,
    };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(await readFile(found.path), { status: 200, headers });
  };
}

export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
}
