// Where the desktop app's own pages come from. The renderer is served over a privileged custom
// protocol (app://renderer/…), never file://, so it has a real origin of its own: the CSP's
// 'self', the navigation policy and the IPC sender check all compare against it.
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The origin of a URL as the web defines it for standard schemes, or undefined for junk. */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // Node's URL treats app: as an opaque scheme (origin "null"); Chromium, where app: is
  // registered as standard, gives scheme://host. Build that form for both.
  if (parsed.protocol === `${APP_SCHEME}:`) return `${APP_SCHEME}://${parsed.host.toLowerCase()}`;
  return parsed.origin === 'null' ? undefined : parsed.origin;
}

/** True for a URL of one of the app's own pages (the app:// origin, or the dev server in development). */
export function isAppUrl(url: string, allowedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  const origin = originOf(url);
  return origin !== undefined && allowedOrigins.includes(origin);
}

export interface RendererSource {
  /** the first page the window loads */
  entryUrl: string;
  /** the origins the window's pages may have */
  appOrigins: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the window loads the UI from: always app:// in a packaged app; in development
 * (`npm run dev`) electron-vite's dev server, when ELECTRON_RENDERER_URL names one on loopback.
 */
export function rendererSource(isPackaged: boolean, devServerUrl: string | undefined): RendererSource {
  const app: RendererSource = { entryUrl: APP_ENTRY_URL, appOrigins: [APP_ORIGIN] };
  if (isPackaged || !devServerUrl) return app;
  let parsed: URL;
  try {
    parsed = new URL(devServerUrl);
  } catch {
    throw new Error(`ELECTRON_RENDERER_URL is not a URL: "${devServerUrl}"`);
  }
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(`ELECTRON_RENDERER_URL must be an http:// URL on this machine, not "${devServerUrl}"`);
  }
  return { entryUrl: parsed.href, appOrigins: [APP_ORIGIN, parsed.origin] };
}
