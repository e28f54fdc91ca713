import { describe, expect, it } from 'vitest';
import { mainWindowOptions, MIN_WINDOW_SIZE } from './window-options.ts';

const input = {
  preload: '/app/out/preload/preload.cjs',
  bounds: { x: 10, y: 20, width: 1400, height: 900 },
  title: 'Gateway Workstation',
  isPackaged: true,
};

describe('mainWindowOptions', () => {
  it('sets every switch of the Electron security checklist explicitly', () => {
    expect(mainWindowOptions(input).webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs',
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
      devTools: false,
    });
  });

  it('offers developer tools only when running from source', () => {
    expect(mainWindowOptions({ ...input, isPackaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('opens hidden (shown when ready) at the placement given', () => {
    expect(mainWindowOptions(input)).toMatchObject({
      x: 10,
      y: 20,
      width: 1400,
      height: 900,
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: 'Gateway Workstation',
    });
  });
});
