// The words of the desktop shell itself (menu, About box, error dialogs), in English and
// Simplified Chinese; the renderer has its own translations.
export interface ShellMessages {
  fileMenu: string;
  openDataFolder: string;
  quit: string;
  editMenu: string;
  undo: string;
  redo: string;
  cut: string;
  copy: string;
  paste: string;
  selectAll: string;
  viewMenu: string;
  reload: string;
  toggleDevTools: string;
  resetZoom: string;
  zoomIn: string;
  zoomOut: string;
  toggleFullScreen: string;
  windowMenu: string;
  minimize: string;
  close: string;
  helpMenu: string;
  openLogFolder: string;
  about: string;
  aboutTitle: string;
  ok: string;
  copyVersions: string;
  startFailedTitle: string;
  startFailedMessage: string;
  fatalTitle: string;
  fatalMessage(error: string, logFolder: string): string;
  windowGoneTitle: string;
  windowGoneMessage(times: number): string;
  reloadWindow: string;
  quitApp: string;
}

const en: ShellMessages = {
  fileMenu: '&File',
  openDataFolder: 'Open Data Folder',
  quit: 'Quit',
  editMenu: '&Edit',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  viewMenu: '&View',
  reload: 'Reload',
  toggleDevTools: 'Toggle Developer Tools',
  resetZoom: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  toggleFullScreen: 'Toggle Full Screen',
  windowMenu: '&Window',
  minimize: 'Minimize',
  close: 'Close',
  helpMenu: '&Help',
  openLogFolder: 'Open Log Folder',
  about: 'About Gateway Workstation',
  aboutTitle: 'About Gateway Workstation',
  ok: 'OK',
  copyVersions: 'Copy',
  startFailedTitle: 'Gateway Workstation could not start',
  startFailedMessage: 'The gateway could not start. The log folder has the details.',
  fatalTitle: 'Gateway Workstation stopped',
  fatalMessage: (error, logFolder) =>
    `Gateway Workstation stopped after the same kind of error several times in a row, and will not restart by itself.\n\n${error}\n\nThe log is in ${logFolder}.`,
  windowGoneTitle: 'The window stopped',
  windowGoneMessage: (times) =>
    `The window stopped ${times} times in a short while. The gateway is still running and keeps recording. Reload the window, or quit the app.`,
  reloadWindow: 'Reload Window',
  quitApp: 'Quit',
};

const zhCN: ShellMessages = {
  fileMenu: '文件(&F)',
  openDataFolder: '打开数据文件夹',
  quit: '退出',
  editMenu: '编辑(&E)',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  viewMenu: '视图(&V)',
  reload: '重新加载',
  toggleDevTools: '开发者工具',
  resetZoom: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  toggleFullScreen: '全屏',
  windowMenu: '窗口(&W)',
  minimize: '最小化',
  close: '关闭',
  helpMenu: '帮助(&H)',
  openLogFolder: '打开日志文件夹',
  about: '关于 Gateway Workstation',
  aboutTitle: '关于 Gateway Workstation',
  ok: '确定',
  copyVersions: '复制',
  startFailedTitle: 'Gateway Workstation 无法启动',
  startFailedMessage: '网关无法启动，详细信息见日志文件夹。',
  fatalTitle: 'Gateway Workstation 已停止',
  fatalMessage: (error, logFolder) =>
    `Gateway Workstation 连续多次出现同类错误后已停止，不会自动重启。\n\n${error}\n\n日志位于 ${logFolder}。`,
  windowGoneTitle: '窗口已停止',
  windowGoneMessage: (times) =>
    `窗口在短时间内停止了 ${times} 次。网关仍在运行并继续记录数据。请重新加载窗口，或退出应用。`,
  reloadWindow: '重新加载窗口',
  quitApp: '退出',
};

/** Simplified Chinese for any zh locale but the traditional ones, English otherwise. */
export function shellMessages(locale: string): ShellMessages {
  const tag = locale.toLowerCase();
  if (tag.startsWith('zh') && !/^zh-(tw|hk|mo|hant)/.test(tag)) return zhCN;
  return en;
}
