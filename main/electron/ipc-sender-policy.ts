// Which frames may call the API over IPC: only the app's own page, in the main frame of its
// window. An iframe, a page the window was navigated to, or any other origin is refused, so that
// content the app never meant to load cannot act as the signed-in user. Pure, so it is tested
// without Electron (ipc-sender-policy.test.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SenderFrame {
  url: string;
  /** false for an iframe */
  isMainFrame: boolean;
}

export interface AppFramePolicy {
  /** the folder the app's pages are loaded from as file: URLs (out/renderer) */
  rendererDir?: string | undefined;
  /** origins the app's pages are served from, e.g. app://gateway, or the dev server's */
  origins?: readonly string[];
}

export function isAppFrame(frame: SenderFrame | null | undefined, policy: AppFramePolicy): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    if (!policy.rendererDir || url.host !== '') return false;
    const relative = path.relative(path.resolve(policy.rendererDir), fileURLToPath(url));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }
  if (url.host === '') return false;
  return (policy.origins ?? []).some((origin) => {
    try {
      return originOf(new URL(origin)) === originOf(url);
    } catch {
      return false;
    }
  });
}

// URL.origin is "null" for custom schemes such as app://, so compare scheme and host directly.
const originOf = (url: URL): string => `${url.protocol}//${url.host}`;
