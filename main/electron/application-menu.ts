// The application menu and the About text. Pure: the shell passes in the actions and builds the
// menu from the template this returns.
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellMessages } from './shell-messages.ts';

export interface MenuActions {
  openLogFolder(): void;
  openDataFolder(): void;
  showAbout(): void;
}

export function applicationMenuTemplate(
  messages: ShellMessages,
  actions: MenuActions,
  isPackaged: boolean,
): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload', label: messages.reload },
    ...(isPackaged ? [] : [{ role: 'toggleDevTools', label: messages.toggleDevTools } as const]),
    { type: 'separator' },
    { role: 'resetZoom', label: messages.resetZoom },
    { role: 'zoomIn', label: messages.zoomIn },
    { role: 'zoomOut', label: messages.zoomOut },
    { type: 'separator' },
    { role: 'togglefullscreen', label: messages.toggleFullScreen },
  ];
  return [
    {
      label: messages.fileMenu,
      submenu: [
        { label: messages.openDataFolder, click: () => actions.openDataFolder() },
        { type: 'separator' },
        { role: 'quit', label: messages.quit, accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      // The edit roles also give text fields their Ctrl+C / Ctrl+V shortcuts.
      label: messages.editMenu,
      submenu: [
        { role: 'undo', label: messages.undo },
        { role: 'redo', label: messages.redo },
        { type: 'separator' },
        { role: 'cut', label: messages.cut },
        { role: 'copy', label: messages.copy },
        { role: 'paste', label: messages.paste },
        { role: 'selectAll', label: messages.selectAll },
      ],
    },
    { label: messages.viewMenu, submenu: view },
    {
      label: messages.windowMenu,
      submenu: [
        { role: 'minimize', label: messages.minimize },
        { role: 'close', label: messages.close },
      ],
    },
    {
      label: messages.helpMenu,
      submenu: [
        { label: messages.openLogFolder, click: () => actions.openLogFolder() },
        { type: 'separator' },
        { label: messages.about, click: () => actions.showAbout() },
      ],
    },
  ];
}

export interface AboutVersions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
  v8: string;
  os: string;
}

/** The About box's text: what a support request needs, in a form that pastes well. */
export function aboutText(versions: AboutVersions): string {
  return [
    `Version: ${versions.app}`,
    `Electron: ${versions.electron}`,
    `Chrome: ${versions.chrome}`,
    `Node.js: ${versions.node}`,
    `V8: ${versions.v8}`,
    `OS: ${versions.os}`,
  ].join('\n');
}
