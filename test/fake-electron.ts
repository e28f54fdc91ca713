// An in-memory stand-in for the `electron` module, for the shell's tests (no Electron binary can
// be downloaded here). It models the parts of Electron's behaviour the shell relies on, as the
// Electron docs describe them: app.quit() emits before-quit, closes the windows, then emits
// will-quit (either can be prevented), and does not emit window-all-closed; app.exit() ends at
// once with no events; closing the last window otherwise emits window-all-closed. Everything the
// shell hands to Electron (handlers, menus, dialogs, protocol handlers) is recorded for the test.
//
// Use: vi.mock('electron', () => import('../../test/fake-electron.ts')) and call
// resetFakeElectron() before each test.
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

export class FakeEvent {
  defaultPrevented = false;
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type Rect = { x: number; y: number; width: number; height: number };

export const state = {
  userData: '/fake/userData',
  isPackaged: true,
  locale: 'en-US',
  singleInstanceLock: true as boolean | (() => boolean),
  ready: true,
  /** set by app.exit(), or by a quit nobody prevented */
  exitCode: undefined as number | undefined,
  relaunches: [] as { args?: string[] }[],
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] as { id: number; workArea: Rect }[],
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  menus: [] as MenuItemConstructorOptions[][],
  messageBoxes: [] as Record<string, unknown>[],
  /** the button index the next message boxes answer with (default 0) */
  messageBoxAnswers: [] as number[],
  errorBoxes: [] as { title: string; content: string }[],
  openedExternally: [] as string[],
  openedPaths: [] as string[],
  clipboard: [] as string[],
  sandboxEnabled: false,
  appUserModelId: undefined as string | undefined,
  /** the order in which notable things happened: 'exit(0)', 'relaunch' … tests add their own */
  timeline: [] as string[],
};

export class FakeSession extends EventEmitter {
  permissionRequestHandler?: (...args: unknown[]) => void;
  permissionCheckHandler?: (...args: unknown[]) => boolean;
  devicePermissionHandler?: (...args: unknown[]) => boolean;
  beforeRequest?: { filter: { urls: string[] }; listener: (...args: unknown[]) => void };
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: (...args: unknown[]) => void) => {
      this.beforeRequest = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean) {
    this.devicePermissionHandler = handler;
  }
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  id = nextContentsId++;
  url = '';
  loads: string[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  async loadURL(url: string) {
    this.url = url;
    this.loads.push(url);
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static windows: FakeBrowserWindow[] = [];
  static getAllWindows() {
    return [...FakeBrowserWindow.windows];
  }
  webContents = new FakeWebContents();
  options: BrowserWindowConstructorOptions;
  bounds: Rect;
  visible = false;
  maximized = false;
  minimized = false;
  focused = false;
  destroyed = false;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    this.options = options;
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    FakeBrowserWindow.windows.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  async loadURL(url: string) {
    await this.webContents.loadURL(url);
  }
  show() {
    this.visible = true;
  }
  focus() {
    this.focused = true;
  }
  maximize() {
    this.maximized = true;
    this.visible = true;
  }
  minimize() {
    this.minimized = true;
  }
  restore() {
    this.minimized = false;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return this.minimized;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rect>) {
    this.bounds = { ...this.bounds, ...bounds };
  }
  /** Like a click on the close button: 'close' (preventable), then 'closed'. */
  close(): boolean {
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    if (FakeBrowserWindow.windows.length === 0 && !quitting) app.emit('window-all-closed');
    return true;
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    FakeBrowserWindow.windows = FakeBrowserWindow.windows.filter((w) => w !== this);
    this.emit('closed');
  }
}

let quitting = false;

class FakeApp extends EventEmitter {
  get isPackaged() {
    return state.isPackaged;
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`fake electron: getPath('${name}') is not modelled`);
    return state.userData;
  }
  setPath(name: string, value: string) {
    if (name !== 'userData') throw new Error(`fake electron: setPath('${name}') is not modelled`);
    state.userData = value;
  }
  getVersion() {
    return '0.1.0';
  }
  getName() {
    return 'Gateway Workstation';
  }
  getLocale() {
    return state.locale;
  }
  requestSingleInstanceLock() {
    return typeof state.singleInstanceLock === 'function' ? state.singleInstanceLock() : state.singleInstanceLock;
  }
  whenReady() {
    return Promise.resolve();
  }
  isReady() {
    return state.ready;
  }
  enableSandbox() {
    state.sandboxEnabled = true;
  }
  setAppUserModelId(id: string) {
    state.appUserModelId = id;
  }
  relaunch(options: { args?: string[] } = {}) {
    state.relaunches.push(options);
    state.timeline.push('relaunch');
  }
  exit(code = 0) {
    if (state.exitCode !== undefined) return;
    state.exitCode = code;
    state.timeline.push(`exit(${code})`);
    for (const window of FakeBrowserWindow.getAllWindows()) window.destroy();
  }
  quit() {
    if (state.exitCode !== undefined) return;
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    quitting = true;
    try {
      for (const window of FakeBrowserWindow.getAllWindows()) {
        if (!window.close()) return;
      }
      const will = new FakeEvent();
      this.emit('will-quit', will);
      if (will.defaultPrevented) return;
      this.emit('quit', new FakeEvent(), 0);
      this.exit(0);
    } finally {
      quitting = false;
    }
  }
}

export const app = new FakeApp();
export const BrowserWindow = FakeBrowserWindow;
export const session = { defaultSession: new FakeSession() };
export const powerMonitor = new EventEmitter();
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    state.schemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    state.protocolHandlers.set(scheme, handler);
  },
};
export const Menu = {
  buildFromTemplate(template: MenuItemConstructorOptions[]) {
    return { template };
  },
  setApplicationMenu(menu: { template: MenuItemConstructorOptions[] } | null) {
    if (menu) state.menus.push(menu.template);
  },
};
export const dialog = {
  async showMessageBox(...args: unknown[]) {
    const options = (args.length > 1 ? args[1] : args[0]) as Record<string, unknown>;
    state.messageBoxes.push(options);
    return { response: state.messageBoxAnswers.shift() ?? 0, checkboxChecked: false };
  },
  showErrorBox(title: string, content: string) {
    state.errorBoxes.push({ title, content });
  },
};
export const shell = {
  async openExternal(url: string) {
    state.openedExternally.push(url);
  },
  async openPath(folder: string) {
    state.openedPaths.push(folder);
    return '';
  },
};
export const clipboard = {
  writeText(text: string) {
    state.clipboard.push(text);
  },
};
export const screen = {
  getAllDisplays() {
    return state.displays;
  },
  getPrimaryDisplay() {
    return state.displays[0];
  },
};

export function resetFakeElectron(): void {
  Object.assign(state, {
    userData: '/fake/userData',
    isPackaged: true,
    locale: 'en-US',
    singleInstanceLock: true,
    ready: true,
    exitCode: undefined,
    relaunches: [],
    displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
    schemes: [],
    protocolHandlers: new Map(),
    menus: [],
    messageBoxes: [],
    messageBoxAnswers: [],
    errorBoxes: [],
    openedExternally: [],
    openedPaths: [],
    clipboard: [],
    sandboxEnabled: false,
    appUserModelId: undefined,
    timeline: [],
  });
  quitting = false;
  app.removeAllListeners();
  powerMonitor.removeAllListeners();
  session.defaultSession = new FakeSession();
  for (const window of FakeBrowserWindow.getAllWindows()) window.destroy();
  FakeBrowserWindow.windows = [];
}

export default {
  app,
  BrowserWindow,
  session,
  powerMonitor,
  protocol,
  Menu,
  dialog,
  shell,
  clipboard,
  screen,
};
