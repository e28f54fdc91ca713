// The desktop app's life: one instance per data folder, a log, the gateway, one hardened window
// over it, a menu, and a shutdown that stops the gateway (and with it flushes and closes the WAL
// and the databases) before the process exits, whatever asked it to: the window, the menu, the
// OS shutting down or logging off, a signal, or a fatal error. The policies it applies are pure
// modules next to it; this file only wires them to Electron.
import os from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  Menu,
  powerMonitor,
  screen,
  session,
  shell,
  type WebContents,
} from 'electron';
import { appPath } from '../config/app-root.ts';
import { dataFolders, isFreshDataFolder } from '../config/data-folders.ts';
import type { GatewayConfigInput } from '../config/gateway-config.ts';
import { historianConfigFrom } from '../config/historian-config.ts';
import type { Gateway } from '../gateway/create-gateway.ts';
import { GatewayStartup, type StartStage } from '../gateway/gateway-startup.ts';
import { createShutdownSequence } from '../lifecycle/shutdown-sequence.ts';
import { openLog, parseLogLevel, type Logger, type OpenLog } from '../logging/logger.ts';
import { rendererSource } from './app-origin.ts';
import { serveAppProtocol } from './app-protocol.ts';
import { aboutText, applicationMenuTemplate } from './application-menu.ts';
import { createRestartBudget, relaunchAttempt, relaunchDecision, rendererGoneAction } from './crash-policy.ts';
import { EXTERNAL_LINK_HOSTS, type NavigationPolicy } from './navigation-policy.ts';
import { guardSession, guardWebContents } from './security-guards.ts';
import { shellMessages } from './shell-messages.ts';
import { mainWindowOptions, MIN_WINDOW_SIZE } from './window-options.ts';
import { placeWindow, readWindowState, writeWindowState, type WindowState } from './window-state.ts';

/** What the IPC transport of the typed API hands back when it is registered. */
export interface ApiRegistration {
  /** stops answering calls; runs at shutdown before the gateway stops */
  dispose(): Promise<void> | void;
}

export interface ApiContext {
  log: Logger;
  /** the origins the app's own pages have: the IPC sender check accepts these and nothing else */
  appOrigins: readonly string[];
}

/** What the shell itself needs of a gateway; the API registration gets the whole thing. */
export type ShellGateway = Pick<Gateway, 'stop' | 'database'>;

export interface DesktopAppOptions<G extends ShellGateway = Gateway> {
  createGateway(config: GatewayConfigInput, options: { onStage(stage: StartStage): void }): Promise<G>;
  /**
   * Registers the typed API's IPC transport (before the window loads, while the gateway starts:
   * the sign-in page shows the start's progress and signs in once it runs).
   */
  registerApi?(gateway: GatewayStartup<G>, context: ApiContext): ApiRegistration;
  /** Where process-wide events arrive ('uncaughtException', 'SIGTERM'…); tests pass their own. */
  processEvents?: NodeJS.EventEmitter;
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  /** milliseconds since the process started (for the relaunch policy) */
  uptimeMs?(): number;
  /** longest one shutdown step (e.g. stopping the gateway) may take before the app exits anyway */
  shutdownStepTimeoutMs?: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';
const TITLE = 'Gateway Workstation';
/** the renderer may crash and be reloaded this often in this long before the user is asked */
const RENDERER_RESTARTS = { max: 3, windowMs: 60_000 } as const;

/** A relaunched process may find its predecessor still holding the lock for a moment. */
async function acquireSingleInstanceLock(relaunched: boolean): Promise<boolean> {
  const tries = relaunched ? 20 : 1;
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (app.requestSingleInstanceLock()) return true;
    if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

export async function startDesktopApp<G extends ShellGateway>(options: DesktopAppOptions<G>): Promise<void> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const events = options.processEvents ?? (process as NodeJS.EventEmitter);
  const uptimeMs = options.uptimeMs ?? (() => process.uptime() * 1000);

  // GATEWAY_DATA_DIR moves everything (the gateway's data, Chromium's, the lock) elsewhere, as it
  // does for `npm run serve`: for a portable install, a second gateway, or a test.
  if (env.GATEWAY_DATA_DIR) app.setPath('userData', path.resolve(env.GATEWAY_DATA_DIR));
  const userData = app.getPath('userData');
  const folders = dataFolders(userData);

  let openedLog: OpenLog;
  try {
    openedLog = await openLog({
      folder: folders.logs,
      level: parseLogLevel(env.GATEWAY_LOG_LEVEL),
      toStdout: !app.isPackaged,
    });
  } catch (error) {
    dialog.showErrorBox(TITLE, (error as Error).message);
    app.exit(1);
    return;
  }
  const { logger: log } = openedLog;

  if (!(await acquireSingleInstanceLock(relaunchAttempt(argv) > 0))) {
    log.info({ userData }, 'another instance uses this data folder: handing over to it');
    await openedLog.close();
    app.exit(0);
    return;
  }
  log.info({ version: app.getVersion(), electron: process.versions.electron, userData }, 'starting');

  const messages = shellMessages(app.getLocale());
  const source = rendererSource(app.isPackaged, env.ELECTRON_RENDERER_URL);
  const policy: NavigationPolicy = { appOrigins: source.appOrigins, externalHosts: EXTERNAL_LINK_HOSTS };
  const guards = { policy, openExternal: (url: string) => shell.openExternal(url), log };
  const windowStateFile = path.join(userData, WINDOW_STATE_FILE);

  // Filled in as start-up gets there; the shutdown steps and event handlers read them.
  const running: { window?: BrowserWindow; api?: ApiRegistration } = {};
  let gatewayStarting: Promise<G | undefined> = Promise.resolve(undefined);
  let windowStateSaved: Promise<void> = Promise.resolve();

  // ── Shutdown ──────────────────────────────────────────────────────────────────────────────
  const saveWindowState = (window: BrowserWindow): void => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    windowStateSaved = windowStateSaved
      .then(() => writeWindowState(windowStateFile, state))
      .catch((error: unknown) => log.warn({ err: error, file: windowStateFile }, 'window state not saved'));
  };
  const shutdown = createShutdownSequence({
    stepTimeoutMs: options.shutdownStepTimeoutMs ?? 20_000,
    log,
    steps: [
      {
        name: 'save the window state',
        run: () => {
          if (running.window) saveWindowState(running.window);
          return windowStateSaved;
        },
      },
      { name: 'stop the API', run: () => running.api?.dispose() },
      {
        // Waits for a gateway still starting, so a quit during start-up cannot leave it open.
        name: 'stop the gateway',
        run: async () => (await gatewayStarting)?.stop(),
      },
    ],
  });
  let exiting: Promise<void> | undefined;
  /** Runs the shutdown sequence once, closes the log, then exits (relaunching first if asked). */
  const shutDown = (reason: string, exitCode = 0, beforeExit?: () => void): Promise<void> => {
    exiting ??= (async () => {
      const outcome = await shutdown.run(reason);
      await openedLog.close();
      beforeExit?.();
      app.exit(outcome.failed.length > 0 ? Math.max(exitCode, 1) : exitCode);
    })();
    return exiting;
  };

  // Quitting (menu, Ctrl+Q, last window closed): hold the quit until the gateway has stopped.
  app.on('will-quit', (event) => {
    event.preventDefault();
    void shutDown('quit');
  });
  app.on('window-all-closed', () => app.quit());
  // Logging off or shutting down on Linux sends SIGTERM (systemd) or SIGHUP (the session).
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    events.on(signal, () => void shutDown(signal));
  }

  // ── Fatal errors ──────────────────────────────────────────────────────────────────────────
  events.on('uncaughtException', (error: Error) => {
    log.fatal({ err: error }, 'uncaught exception in the main process');
    const decision = relaunchDecision(argv, uptimeMs());
    if (decision.relaunch) log.warn({ attempt: decision.attempt }, 'restarting the app');
    else log.error('not restarting: the app failed repeatedly right after starting');
    void shutDown('fatal error', 1, () => {
      if (decision.relaunch) app.relaunch({ args: decision.args });
      else dialog.showErrorBox(messages.fatalTitle, messages.fatalMessage(error.message, openedLog.folder));
    });
  });
  events.on('unhandledRejection', (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection in the main process');
  });

  // ── Second launch ─────────────────────────────────────────────────────────────────────────
  app.on('second-instance', () => {
    log.info('second launch: focusing the window');
    const { window } = running;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  await app.whenReady();
  if (process.platform === 'win32') app.setAppUserModelId('io.github.gateway-workstation');
  serveAppProtocol(appPath('out', 'renderer'));
  guardSession(session.defaultSession, guards);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, guards));
  app.on('child-process-gone', (_event, details) => {
    // Chromium restarts its GPU and utility processes itself; the log is what support needs.
    log.warn({ type: details.type, reason: details.reason, exitCode: details.exitCode }, 'a helper process is gone');
  });
  // Linux and macOS: delay the OS shutdown until the gateway has flushed and closed. Electron
  // passes the event its docs describe, though its typings declare a listener without one.
  const onOsShutdown = (event: Electron.Event): void => {
    event.preventDefault();
    void shutDown('OS shutdown');
  };
  powerMonitor.on('shutdown', onOsShutdown as unknown as () => void);

  const openFolder = (folder: string) => {
    void shell.openPath(folder).then((problem) => {
      if (problem) log.warn({ folder, problem }, 'could not open the folder');
    });
  };
  const showAbout = async () => {
    const detail = aboutText({
      app: app.getVersion(),
      electron: process.versions.electron ?? 'unknown',
      chrome: process.versions.chrome ?? 'unknown',
      node: process.versions.node,
      v8: process.versions.v8,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
    });
    const options = {
      type: 'info' as const,
      title: messages.aboutTitle,
      message: `${TITLE} ${app.getVersion()}`,
      detail,
      buttons: [messages.ok, messages.copyVersions],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    const { response } = running.window
      ? await dialog.showMessageBox(running.window, options)
      : await dialog.showMessageBox(options);
    if (response === 1) clipboard.writeText(`${TITLE} ${app.getVersion()}\n${detail}`);
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate(
        messages,
        {
          openLogFolder: () => openFolder(openedLog.folder),
          openDataFolder: () => openFolder(folders.root),
          showAbout: () => void showAbout(),
        },
        app.isPackaged,
      ),
    ),
  );

  // ── The gateway, and the window at once beside it ─────────────────────────────────────────
  // The window shows the sign-in page while the gateway starts; the IPC API answers it with the
  // start's progress until the gateway runs (gateway-startup.ts).
  const startup = new GatewayStartup<G>({
    freshDataFolder: !env.DATABASE_URL && isFreshDataFolder(folders.pglite),
  });
  running.api = options.registerApi?.(startup, { log, appOrigins: source.appOrigins });
  const historian = historianConfigFrom({}, env);
  const starting = options.createGateway(
    {
      dataDir: userData,
      databaseUrl: env.DATABASE_URL || undefined,
      ...(historian && { historian }),
    },
    { onStage: (stage) => startup.stage(stage) },
  );
  gatewayStarting = starting.catch(() => undefined);
  if (shutdown.started) {
    await starting.catch(() => undefined);
    return;
  }

  // ── The window ────────────────────────────────────────────────────────────────────────────
  const saved = await readWindowState(windowStateFile);
  if (saved.problem) log.warn({ problem: saved.problem }, 'saved window state ignored');
  if (shutdown.started) return;
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const placement = placeWindow(saved.state, workAreas, MIN_WINDOW_SIZE);
  const window = new BrowserWindow(
    mainWindowOptions({
      preload: appPath('out', 'preload', 'preload.cjs'),
      bounds: { x: placement.x, y: placement.y, width: placement.width, height: placement.height },
      title: TITLE,
      isPackaged: app.isPackaged,
    }),
  );
  running.window = window;
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => saveWindowState(window));
  // Windows: the session is ending (shutdown, restart, log-off). Ask Windows to wait while the
  // gateway flushes; 'session-end' is the last word, after which it cannot be held.
  window.on('query-session-end', (event) => {
    event.preventDefault();
    log.info({ reasons: event.reasons }, 'Windows session ending');
    void shutDown('Windows session end');
  });
  window.on('session-end', () => void shutDown('Windows session end'));
  watchRenderer(window.webContents, window);
  const loading = loadUi(window);

  let gateway: G;
  try {
    gateway = await starting;
  } catch (error) {
    startup.failed(error);
    log.fatal({ err: error }, 'the gateway could not start');
    if (shutdown.started) return;
    const { response } = await dialog.showMessageBox(window, {
      type: 'error',
      title: messages.startFailedTitle,
      message: messages.startFailedMessage,
      detail: (error as Error).message,
      buttons: [messages.quitApp, messages.openLogFolder],
      defaultId: 0,
      noLink: true,
    });
    if (response === 1) openFolder(openedLog.folder);
    await shutDown('the gateway could not start', 1);
    return;
  }
  if (shutdown.started) return;
  startup.ready(gateway);
  log.info({ database: gateway.database.description }, 'gateway running');
  await loading;

  function loadUi(owner: BrowserWindow): Promise<void> {
    return owner.loadURL(source.entryUrl).catch((error: unknown) => {
      log.error({ err: error, url: source.entryUrl }, 'the window could not load the UI');
    });
  }

  function watchRenderer(contents: WebContents, owner: BrowserWindow): void {
    const budget = createRestartBudget(RENDERER_RESTARTS.max, RENDERER_RESTARTS.windowMs);
    contents.on('render-process-gone', (_event, details) => {
      if (shutdown.started || owner.isDestroyed()) return;
      const now = Date.now();
      const action = rendererGoneAction(details.reason, budget.take(now));
      log.error({ reason: details.reason, exitCode: details.exitCode, action }, 'the window renderer is gone');
      if (action === 'reload') {
        void loadUi(owner);
      } else if (action === 'ask-user') {
        void dialog
          .showMessageBox(owner, {
            type: 'error',
            title: messages.windowGoneTitle,
            message: messages.windowGoneMessage(budget.count(now) + 1),
            buttons: [messages.reloadWindow, messages.quitApp],
            defaultId: 0,
            noLink: true,
          })
          .then(({ response }) => {
            if (response === 0 && !owner.isDestroyed()) void loadUi(owner);
            else app.quit();
          });
      }
    });
    contents.on('unresponsive', () => log.warn('the window is not responding'));
    contents.on('responsive', () => log.info('the window responds again'));
  }
}
