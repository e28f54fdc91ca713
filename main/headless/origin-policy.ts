// Which web pages may open the API's WebSocket. Browsers let any page open a WebSocket to any
// address, including 127.0.0.1, and send the page's Origin with it; the server must refuse
// foreign pages itself. Allowed:
//  * no Origin at all: not a browser (a script, the benchmark), which no web page can forge;
//  * the gateway's own page: the Origin is the scheme and Host the browser used, and that host
//    is an IP address or localhost. A DNS name is only trusted when listed (--allowed-origin):
//    otherwise a hostile page could point its own name at 127.0.0.1 (DNS rebinding) and pass;
//  * an origin listed in allowedOrigins.
import { isIP } from 'node:net';

export interface OriginRequest {
  /** the Origin header, if any */
  origin: string | undefined;
  /** the Host header, if any */
  host: string | undefined;
  /** whether the server speaks TLS (the page's scheme is then https) */
  secure: boolean;
}

export function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function isAllowedOrigin(request: OriginRequest, allowedOrigins: readonly string[] = []): boolean {
  if (request.origin === undefined) return true;
  const origin = normaliseOrigin(request.origin);
  if (!origin) return false; // "null" (sandboxed frames, file: pages) and anything unparsable
  if (allowedOrigins.some((allowed) => normaliseOrigin(allowed) === origin)) return true;
  if (!request.host) return false;
  const own = normaliseOrigin(`${request.secure ? 'https' : 'http'}://${request.host}`);
  if (origin !== own) return false;
  const hostname = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  return isIP(hostname) !== 0 || hostname === 'localhost';
}
