// The desktop shell with a stand-in `electron` (test/fake-electron.ts: no Electron binary can be
// downloaded here). Where the test is about the gateway (start, the shutdown order, crashes) it
// runs the real one, with a real PGlite database in a throwaway data folder, and shows the
// database really closed before the process exited. Tests of the shell's own wiring (menu,
// window placement, single instance) give it a gateway without stores, which opens in no time.
import { EventEmitter } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeBrowserWindow,
  FakeEvent,
  dialog,
  powerMonitor,
  resetFakeElectron,
  state,
  app,
} from '../../test/fake-electron.ts';
import type { GatewayConfig } from '../config/gateway-config.ts';
import { createGateway, type Gateway } from '../gateway/create-gateway.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { LOG_FILE_NAME } from '../logging/logger.ts';
import { RELAUNCH_FLAG } from './crash-policy.ts';
import { startDesktopApp, WINDOW_STATE_FILE, type DesktopAppOptions, type ShellGateway } from './desktop-app.ts';

vi.mock('electron', () => import('../../test/fake-electron.ts'));

let template: string;
const folders: string[] = [];

beforeAll(async () => {
  // One migrated database, copied into each test's data folder: a fresh initdb takes seconds.
  template = await mkdtemp(path.join(os.tmpdir(), 'gw-desktop-template-'));
  const gateway = await createGateway({ dataDir: template });
  await gateway.stop();
});

afterAll(async () => {
  await rm(template, { recursive: true, force: true });
});

beforeEach(() => resetFakeElectron());

afterEach(async () => {
  // A test that left the app running quits it, so no database or log stays open.
  if (state.exitCode === undefined && app.listenerCount('will-quit') > 0) {
    app.quit();
    await exitCode();
  }
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-desktop-'));
  folders.push(folder);
  return folder;
}

async function dataFolderWithDatabase(): Promise<string> {
  const folder = await dataFolder();
  await cp(path.join(template, 'pglite'), path.join(folder, 'pglite'), { recursive: true });
  return folder;
}

/** For the wiring tests: what the shell needs of a gateway, with no database behind it. */
async function gatewayWithoutStores(): Promise<ShellGateway> {
  return {
    database: { kind: 'pglite', description: 'no database (shell wiring test)' } as Gateway['database'],
    stop: async () => undefined,
  };
}

interface Launched {
  gateways: ShellGateway[];
  processEvents: EventEmitter;
  window: FakeBrowserWindow | undefined;
  dataDir: string;
}

/** Starts the desktop app on a data folder, recording gateway and API shutdown in state.timeline. */
async function launch(
  dataDir: string,
  extra: Partial<DesktopAppOptions<ShellGateway>> & { realGateway?: boolean } = {},
): Promise<Launched> {
  const gateways: ShellGateway[] = [];
  const processEvents = new EventEmitter();
  const { realGateway = false, ...options } = extra;
  await startDesktopApp<ShellGateway>({
    createGateway: async (config: GatewayConfig, { onStage }) => {
      const gateway = await (realGateway ? createGateway(config, { onStage }) : gatewayWithoutStores());
      const stop = gateway.stop.bind(gateway);
      gateway.stop = async () => {
        state.timeline.push('gateway stop begins');
        await stop();
        state.timeline.push('gateway stopped');
      };
      gateways.push(gateway);
      return gateway;
    },
    registerApi: () => ({ dispose: () => void state.timeline.push('API disposed') }),
    processEvents,
    env: { GATEWAY_DATA_DIR: dataDir },
    argv: ['/opt/gateway-workstation/gateway-workstation'],
    uptimeMs: () => 1_000,
    ...options,
  });
  return { gateways, processEvents, window: FakeBrowserWindow.windows[0], dataDir };
}

async function exitCode(): Promise<number> {
  await vi.waitFor(() => expect(state.exitCode).toBeDefined(), { timeout: 10_000 });
  return state.exitCode as number;
}

async function expectClosed(gateway: ShellGateway | undefined): Promise<void> {
  await expect(gateway?.database.db.execute(sql`select 1`)).rejects.toThrow();
}

function menuItem(label: string): MenuItemConstructorOptions {
  const search = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined => {
    for (const item of items) {
      if (item.label === label) return item;
      if (Array.isArray(item.submenu)) {
        const found = search(item.submenu);
        if (found) return found;
      }
    }
    return undefined;
  };
  const found = search(state.menus.at(-1) ?? []);
  if (!found) throw new Error(`no menu item "${label}"`);
  return found;
}

describe('starting', () => {
  it('opens one hardened window on app:// over a running gateway, with the API registered', async () => {
    const dataDir = await dataFolderWithDatabase();
    const registerApi = vi.fn((_startup: GatewayStartup<ShellGateway>) => ({ dispose: () => undefined }));
    const { gateways, window } = await launch(dataDir, { realGateway: true, registerApi });

    expect(state.userData).toBe(dataDir);
    expect(gateways).toHaveLength(1);
    expect((gateways[0] as Gateway | undefined)?.folders.root).toBe(dataDir);
    // The API was registered over the gateway's start, which now hands out the running gateway.
    expect(registerApi).toHaveBeenCalledWith(
      expect.any(GatewayStartup),
      expect.objectContaining({ appOrigins: ['app://renderer'] }),
    );
    const startup = registerApi.mock.calls[0]![0];
    expect(startup.state()).toEqual({ phase: 'ready' });
    expect(startup.services()).toBe(gateways[0]);

    expect(FakeBrowserWindow.windows).toHaveLength(1);
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(window?.options.webPreferences?.preload).toMatch(/out[/\\]preload[/\\]preload\.cjs$/);
    expect(window?.webContents.loads).toEqual(['app://renderer/index.html']);
    // Navigation and permission guards are on the window and the session.
    expect(window?.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(state.protocolHandlers.has('app')).toBe(true);
    expect(state.menus).toHaveLength(1);

    expect(window?.isVisible()).toBe(false);
    window?.emit('ready-to-show');
    expect(window?.isVisible()).toBe(true);
  });

  it('keeps its data and log under the data folder', async () => {
    const dataDir = await dataFolder();
    await launch(dataDir);
    app.quit();
    expect(await exitCode()).toBe(0);
    const log = await readFile(path.join(dataDir, 'logs', LOG_FILE_NAME), 'utf8');
    expect(log).toContain('"msg":"starting"');
    expect(log).toContain('"msg":"gateway running"');
    expect(log).toContain('"msg":"stopped cleanly"');
  });

  it('shows the window while the gateway starts, with the start reported stage by stage', async () => {
    const dataDir = await dataFolder();
    let finish: (gateway: ShellGateway) => void = () => undefined;
    let startup: GatewayStartup<ShellGateway> | undefined;
    const stages: string[] = [];
    const launched = startDesktopApp<ShellGateway>({
      createGateway: (_config, { onStage }) => {
        onStage('historian');
        return new Promise((resolve) => (finish = resolve));
      },
      registerApi: (registered) => {
        startup = registered;
        registered.onChange((state) => stages.push(state.phase === 'starting' ? state.stage : state.phase));
        return { dispose: () => undefined };
      },
      processEvents: new EventEmitter(),
      env: { GATEWAY_DATA_DIR: dataDir },
      argv: ['/x/app'],
    });
    await vi.waitFor(() => expect(FakeBrowserWindow.windows).toHaveLength(1));
    expect(FakeBrowserWindow.windows[0]?.webContents.loads).toEqual(['app://renderer/index.html']);
    // A new data folder: the page tells the user that the first administrator comes next.
    expect(startup?.state()).toEqual({
      phase: 'starting',
      stage: 'historian',
      step: 3,
      steps: 5,
      freshDataFolder: true,
    });
    expect(startup?.services()).toBeUndefined();
    const gateway = await gatewayWithoutStores();
    finish(gateway);
    await launched;
    expect(stages).toEqual(['historian', 'ready']);
    expect(startup?.services()).toBe(gateway);
  });

  it('reports a gateway that cannot start, in the window and a dialog, and exits with an error', async () => {
    const dataDir = await dataFolder();
    let startup: GatewayStartup<ShellGateway> | undefined;
    const messageBox = vi.spyOn(dialog, 'showMessageBox');
    await startDesktopApp<ShellGateway>({
      createGateway: async () => {
        throw new Error('Migrating embedded PGlite failed: disk full');
      },
      registerApi: (registered) => {
        startup = registered;
        return { dispose: () => undefined };
      },
      processEvents: new EventEmitter(),
      env: { GATEWAY_DATA_DIR: dataDir },
      argv: ['/x/app'],
    });
    expect(await exitCode()).toBe(1);
    // The sign-in page says why (system.startup), behind the dialog that says it too.
    expect(startup?.state()).toEqual({ phase: 'failed', message: 'Migrating embedded PGlite failed: disk full' });
    expect(state.messageBoxes).toEqual([
      expect.objectContaining({
        type: 'error',
        title: 'Gateway Workstation could not start',
        detail: 'Migrating embedded PGlite failed: disk full',
      }),
    ]);
    // The dialog belongs to the window, which was open (it is closed by the exit).
    expect(messageBox.mock.calls[0]?.[0]).toBeInstanceOf(FakeBrowserWindow);
    messageBox.mockRestore();
  });
});

describe('single instance', () => {
  it('hands a second launch over to the running app without starting a gateway', async () => {
    const dataDir = await dataFolder();
    state.singleInstanceLock = false;
    const createGatewaySpy = vi.fn();
    await startDesktopApp({
      createGateway: createGatewaySpy,
      processEvents: new EventEmitter(),
      env: { GATEWAY_DATA_DIR: dataDir },
      argv: ['/x/app'],
    });
    expect(state.exitCode).toBe(0);
    expect(createGatewaySpy).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.windows).toHaveLength(0);
    expect(await readFile(path.join(dataDir, 'logs', LOG_FILE_NAME), 'utf8')).toContain('another instance');
  });

  it('brings the first window back when the app is launched again', async () => {
    const { window } = await launch(await dataFolder());
    window?.minimize();
    app.emit('second-instance', new FakeEvent(), ['/x/app'], '/home/user');
    expect(window?.isMinimized()).toBe(false);
    expect(window?.isVisible()).toBe(true);
    expect(window?.focused).toBe(true);
  });

  it('lets a relaunched app wait for its predecessor to let go of the lock', async () => {
    let asked = 0;
    state.singleInstanceLock = () => ++asked >= 3;
    const { gateways } = await launch(await dataFolder(), { argv: ['/x/app', `${RELAUNCH_FLAG}=1`] });
    expect(asked).toBe(3);
    expect(gateways).toHaveLength(1);
  });
});

describe('shutdown', () => {
  it('holds the quit until the API is closed and the gateway has stopped, then exits', async () => {
    const { gateways, window } = await launch(await dataFolderWithDatabase(), { realGateway: true });
    const gateway = gateways[0] as ShellGateway;
    let release!: () => void;
    const stop = gateway.stop;
    gateway.stop = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      await stop();
    };

    window?.close(); // the last window: Electron then quits
    await vi.waitFor(() => expect(release).toBeDefined());
    // The gateway is still flushing: the process must not have exited.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.exitCode).toBeUndefined();
    release();
    expect(await exitCode()).toBe(0);
    expect(state.timeline).toEqual(['API disposed', 'gateway stop begins', 'gateway stopped', 'exit(0)']);
    await expectClosed(gateway);
  });

  it('stops the gateway before exiting when the OS shuts down (Linux)', async () => {
    await launch(await dataFolder());
    const event = new FakeEvent();
    powerMonitor.emit('shutdown', event);
    expect(event.defaultPrevented).toBe(true);
    expect(await exitCode()).toBe(0);
    expect(state.timeline).toEqual(['API disposed', 'gateway stop begins', 'gateway stopped', 'exit(0)']);
  });

  it('asks Windows to wait while the gateway stops when the session ends', async () => {
    const { window } = await launch(await dataFolder());
    const event = new FakeEvent({ reasons: ['shutdown'] });
    window?.emit('query-session-end', event);
    expect(event.defaultPrevented).toBe(true);
    window?.emit('session-end', new FakeEvent({ reasons: ['shutdown'] }));
    expect(await exitCode()).toBe(0);
    expect(state.timeline.filter((entry) => entry === 'gateway stopped')).toHaveLength(1);
  });

  it('stops the gateway on SIGTERM (logout on Linux) and ignores the second signal', async () => {
    const { processEvents } = await launch(await dataFolder());
    processEvents.emit('SIGTERM');
    processEvents.emit('SIGHUP');
    expect(await exitCode()).toBe(0);
    expect(state.timeline).toEqual(['API disposed', 'gateway stop begins', 'gateway stopped', 'exit(0)']);
  });

  it('stops a gateway that was still starting when the quit came, and opens no window', async () => {
    const dataDir = await dataFolderWithDatabase();
    const processEvents = new EventEmitter();
    let started: Gateway | undefined;
    const starting = startDesktopApp({
      createGateway: async (config) => {
        processEvents.emit('SIGTERM');
        started = await createGateway(config);
        return started;
      },
      processEvents,
      env: { GATEWAY_DATA_DIR: dataDir },
      argv: ['/x/app'],
    });
    await starting;
    expect(await exitCode()).toBe(0);
    await expectClosed(started);
    expect(FakeBrowserWindow.windows).toHaveLength(0);
  });

  it('exits even when stopping the gateway hangs, and says so with the exit code', async () => {
    const { gateways } = await launch(await dataFolder(), { shutdownStepTimeoutMs: 100 });
    (gateways[0] as Gateway).stop = () => new Promise<void>(() => undefined);
    app.quit();
    expect(await exitCode()).toBe(1);
  });
});

describe('window state', () => {
  it('reopens the window where the user left it', async () => {
    const dataDir = await dataFolder();
    const first = await launch(dataDir);
    first.window?.setBounds({ x: 200, y: 120, width: 1280, height: 720 });
    first.window?.maximize();
    first.window?.close();
    expect(await exitCode()).toBe(0);
    expect(JSON.parse(await readFile(path.join(dataDir, WINDOW_STATE_FILE), 'utf8'))).toEqual({
      x: 200,
      y: 120,
      width: 1280,
      height: 720,
      maximized: true,
    });

    resetFakeElectron();
    const second = await launch(dataDir);
    expect(second.window?.options).toMatchObject({ x: 200, y: 120, width: 1280, height: 720 });
    second.window?.emit('ready-to-show');
    expect(second.window?.isMaximized()).toBe(true);
  });

  it('ignores a damaged state file, says why in the log, and uses the default place', async () => {
    const dataDir = await dataFolder();
    await writeFile(path.join(dataDir, WINDOW_STATE_FILE), '{"x": "far left"');
    const { window } = await launch(dataDir);
    expect(window?.options).toMatchObject({ width: 1400, height: 900 });
    expect(window?.options.x).toBeUndefined();
    app.quit();
    await exitCode();
    expect(await readFile(path.join(dataDir, 'logs', LOG_FILE_NAME), 'utf8')).toContain('saved window state ignored');
  });
});

describe('crashes', () => {
  it('reloads a crashed window without stopping the gateway, and asks after repeated crashes', async () => {
    const { window } = await launch(await dataFolder());
    const gone = () =>
      window?.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 139 });
    gone();
    gone();
    gone();
    expect(window?.webContents.loads).toHaveLength(4);
    expect(state.messageBoxes).toHaveLength(0);
    expect(state.timeline).toEqual([]); // the gateway was never stopped

    state.messageBoxAnswers.push(1); // Quit
    gone();
    await vi.waitFor(() => expect(state.messageBoxes).toHaveLength(1));
    expect(state.messageBoxes[0]).toMatchObject({ title: 'The window stopped', buttons: ['Reload Window', 'Quit'] });
    expect(await exitCode()).toBe(0);
    expect(window?.webContents.loads).toHaveLength(4);
  });

  it('shuts down cleanly and relaunches after an uncaught exception in the main process', async () => {
    const { processEvents, gateways } = await launch(await dataFolderWithDatabase(), { realGateway: true });
    processEvents.emit('uncaughtException', new Error('driver bug'));
    expect(await exitCode()).toBe(1);
    expect(state.relaunches).toEqual([{ args: [`${RELAUNCH_FLAG}=1`] }]);
    expect(state.timeline).toEqual(['API disposed', 'gateway stop begins', 'gateway stopped', 'relaunch', 'exit(1)']);
    await expectClosed(gateways[0]);
  });

  it('stops relaunching after repeated failures right after start, and tells the user', async () => {
    const { processEvents } = await launch(await dataFolder(), { argv: ['/x/app', `${RELAUNCH_FLAG}=3`] });
    processEvents.emit('uncaughtException', new Error('driver bug'));
    expect(await exitCode()).toBe(1);
    expect(state.relaunches).toEqual([]);
    expect(state.errorBoxes).toEqual([
      { title: 'Gateway Workstation stopped', content: expect.stringContaining('driver bug') },
    ]);
  });
});

describe('menu', () => {
  it('Help → About shows the versions and can copy them', async () => {
    await launch(await dataFolder());
    state.messageBoxAnswers.push(1); // Copy
    (menuItem('About Gateway Workstation').click as () => void)();
    await vi.waitFor(() => expect(state.clipboard).toHaveLength(1));
    const about = state.messageBoxes[0] as { detail: string; message: string };
    expect(about.message).toBe('Gateway Workstation 0.1.0');
    expect(about.detail).toMatch(
      /^Version: 0\.1\.0\nElectron: .+\nChrome: .+\nNode\.js: \d+\.\d+\.\d+\nV8: .+\nOS: .+$/,
    );
    expect(state.clipboard[0]).toContain(about.detail);
  });

  it('Help → Open Log Folder and File → Open Data Folder open the folders', async () => {
    const dataDir = await dataFolder();
    await launch(dataDir);
    (menuItem('Open Log Folder').click as () => void)();
    (menuItem('Open Data Folder').click as () => void)();
    expect(state.openedPaths).toEqual([path.join(dataDir, 'logs'), dataDir]);
  });
});
