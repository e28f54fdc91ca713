// Which frames may call the API over IPC: only the app's own page (an app:// origin, or the dev
// server's under `npm run dev` — see app-origin.ts), in the main frame of its window. An iframe,
// a page the window was navigated to, or any other origin is refused, so that content the app
// never meant to load cannot act as the signed-in user. Pure, so it is tested without Electron.
import { isAppUrl } from './app-origin.ts';

export interface SenderFrame {
  url: string;
  /** false for an iframe */
  isMainFrame: boolean;
}

export function isAppFrame(frame: SenderFrame | null | undefined, appOrigins: readonly string[]): boolean {
  return !!frame && frame.isMainFrame && isAppUrl(frame.url, appOrigins);
}
