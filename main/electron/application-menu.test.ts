import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutText, applicationMenuTemplate } from './application-menu.ts';
import { shellMessages } from './shell-messages.ts';

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const inner = find(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as () => void)();
}

describe('applicationMenuTemplate', () => {
  const en = shellMessages('en-US');

  it('has Help → Open Log Folder and Help → About, wired to their actions', () => {
    const actions = { openLogFolder: vi.fn(), openDataFolder: vi.fn(), showAbout: vi.fn() };
    const menu = applicationMenuTemplate(en, actions, true);
    expect(menu.map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const help = menu.at(-1)?.submenu as MenuItemConstructorOptions[];
    expect(help.map((item) => item.label ?? item.type)).toEqual([
      'Open Log Folder',
      'separator',
      'About Gateway Workstation',
    ]);
    click(find(menu, 'Open Log Folder'));
    click(find(menu, 'About Gateway Workstation'));
    click(find(menu, 'Open Data Folder'));
    expect(actions.openLogFolder).toHaveBeenCalledOnce();
    expect(actions.showAbout).toHaveBeenCalledOnce();
    expect(actions.openDataFolder).toHaveBeenCalledOnce();
  });

  it('keeps the edit shortcuts and offers developer tools only from source', () => {
    const actions = { openLogFolder: vi.fn(), openDataFolder: vi.fn(), showAbout: vi.fn() };
    const packaged = applicationMenuTemplate(en, actions, true);
    expect(find(packaged, 'Copy')?.role).toBe('copy');
    expect(find(packaged, 'Paste')?.role).toBe('paste');
    expect(find(packaged, 'Toggle Developer Tools')).toBeUndefined();
    expect(find(applicationMenuTemplate(en, actions, false), 'Toggle Developer Tools')?.role).toBe('toggleDevTools');
  });

  it('speaks Simplified Chinese on a Chinese system', () => {
    const zh = shellMessages('zh-CN');
    const menu = applicationMenuTemplate(
      zh,
      { openLogFolder: vi.fn(), openDataFolder: vi.fn(), showAbout: vi.fn() },
      true,
    );
    expect(menu.map((item) => item.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '窗口(&W)', '帮助(&H)']);
    expect(find(menu, '打开日志文件夹')).toBeDefined();
    expect(shellMessages('zh-Hans-CN').helpMenu).toBe('帮助(&H)');
    expect(shellMessages('zh-TW').helpMenu).toBe('&Help');
    expect(shellMessages('de-DE').helpMenu).toBe('&Help');
  });
});

describe('aboutText', () => {
  it('lists the app, Electron, Chrome, Node.js and V8 versions and the OS', () => {
    expect(
      aboutText({
        app: '0.1.0',
        electron: '45.5.0',
        chrome: '142.0.1',
        node: '22.20.0',
        v8: '14.2',
        os: 'Linux 6.1 x64',
      }),
    ).toBe('Version: 0.1.0\nElectron: 45.5.0\nChrome: 142.0.1\nNode.js: 22.20.0\nV8: 14.2\nOS: Linux 6.1 x64');
  });
});
