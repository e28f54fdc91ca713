// The main window's options: every security switch of Electron's checklist set explicitly, so
// that a default changing in a later Electron cannot loosen them, and a test can read them.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface MainWindowOptionsInput {
  /** absolute path of the sandboxed preload (out/preload/preload.cjs) */
  preload: string;
  bounds: { x?: number; y?: number; width: number; height: number };
  title: string;
  /** developer tools only in development */
  isPackaged: boolean;
}

export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...input.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: input.title,
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !input.isPackaged,
    },
  };
}
