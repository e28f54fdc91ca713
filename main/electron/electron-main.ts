// The desktop entry: one window over the same gateway the headless server runs. This is the
// only folder that may import `electron` (enforced by eslint.config.js).
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { appPath } from '../config/app-root.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { registerIpcApi } from './ipc-api.ts';

let gateway: Gateway | undefined;

async function openMainWindow(): Promise<void> {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Gateway Workstation',
    show: false,
    webPreferences: {
      preload: appPath('out', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  await window.loadFile(appPath('out', 'renderer', 'index.html'));
}

async function start(): Promise<void> {
  await app.whenReady();
  gateway = await createGateway({
    dataDir: path.join(app.getPath('userData')),
    databaseUrl: process.env.DATABASE_URL || undefined,
  });
  // The API for the app's own page only (ipc-sender-policy.ts); electron-vite's dev server too.
  registerIpcApi({
    services: gateway,
    framePolicy: {
      rendererDir: appPath('out', 'renderer'),
      origins: process.env.ELECTRON_RENDERER_URL ? [process.env.ELECTRON_RENDERER_URL] : [],
    },
  });
  await openMainWindow();
}

app.on('window-all-closed', () => app.quit());

let stopped = false;
app.on('will-quit', (event) => {
  if (stopped || !gateway) return;
  // Hold the quit until the gateway has flushed and closed its stores.
  event.preventDefault();
  void gateway.stop().finally(() => {
    stopped = true;
    app.quit();
  });
});

start().catch((error: unknown) => {
  console.error('Gateway Workstation could not start:', error);
  app.exit(1);
});
