// Applies the pure policies (navigation-policy.ts, permission-policy.ts) to Electron's session and
// to every web contents the app creates. The shell calls these once; nothing else decides.
import type { Session, WebContents } from 'electron';
import type { Logger } from '../logging/logger.ts';
import { isAppUrl } from './app-origin.ts';
import {
  decideNavigation,
  decideWindowOpen,
  type NavigationDecision,
  type NavigationPolicy,
} from './navigation-policy.ts';
import { isPermissionGranted } from './permission-policy.ts';

export interface GuardOptions {
  policy: NavigationPolicy;
  /** hands an allowed external link to the OS browser (shell.openExternal) */
  openExternal(url: string): Promise<void>;
  log: Pick<Logger, 'warn' | 'info'>;
}

export function guardSession(session: Session, options: GuardOptions): void {
  const { appOrigins } = options.policy;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted(permission, details.requestingUrl, appOrigins);
    if (!granted) options.log.warn({ permission, url: details.requestingUrl }, 'permission request denied');
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, appOrigins),
  );
  session.setDevicePermissionHandler(() => false);
  // The device pickers of Web Serial, WebHID and WebUSB: the renderer gets no device; serial
  // ports are opened by the main process.
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  // Defence in depth behind the CSP: the renderer reaches no network address at all (the dev
  // server is the one exception, in development).
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      // The dev server's hot reload talks WebSocket to the same host and port as its pages.
      const allowed = isAppUrl(details.url.replace(/^ws(s?):/, 'http$1:'), appOrigins);
      if (!allowed) options.log.warn({ url: details.url }, 'network request from the renderer blocked');
      callback({ cancel: !allowed });
    },
  );
}

export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  const follow = (decision: NavigationDecision, url: string, what: string): void => {
    if (decision.allow) return;
    if (decision.openExternally) {
      options.log.info({ url: decision.openExternally }, 'opening an external link in the browser');
      options.openExternal(decision.openExternally).catch((error: unknown) => {
        options.log.warn({ url: decision.openExternally, err: error }, 'the browser could not open the link');
      });
    } else {
      options.log.warn({ url }, `${what} denied`);
    }
  };
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, options.policy);
    if (!decision.allow) event.preventDefault();
    follow(decision, event.url, 'navigation');
  });
  contents.on('will-redirect', (event) => {
    const decision = decideNavigation(event.url, options.policy);
    if (!decision.allow) event.preventDefault();
    if (!decision.allow) options.log.warn({ url: event.url }, 'redirect denied');
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return; // handled by will-navigate
    if (!isAppUrl(event.url, options.policy.appOrigins)) {
      event.preventDefault();
      options.log.warn({ url: event.url }, 'frame navigation denied');
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    follow(decideWindowOpen(url, options.policy), url, 'new window');
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.log.warn('webview denied');
  });
}
