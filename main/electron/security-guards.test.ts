import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { FakeEvent, FakeSession, FakeWebContents } from '../../test/fake-electron.ts';
import { APP_ORIGIN } from './app-origin.ts';
import { guardSession, guardWebContents } from './security-guards.ts';

function setup(appOrigins: string[] = [APP_ORIGIN]) {
  const opened: string[] = [];
  const warnings: unknown[] = [];
  const options = {
    policy: { appOrigins, externalHosts: ['github.com'] },
    openExternal: async (url: string) => void opened.push(url),
    log: { warn: (fields: unknown) => void warnings.push(fields), info: () => undefined },
  };
  return { options, opened, warnings };
}

describe('guardWebContents', () => {
  function guarded() {
    const contents = new FakeWebContents();
    const { options, opened, warnings } = setup();
    guardWebContents(contents as unknown as WebContents, options);
    const navigate = (event: string, url: string, extra: Record<string, unknown> = {}) => {
      const e = new FakeEvent({ url, ...extra });
      contents.emit(event, e, url);
      return e.defaultPrevented;
    };
    return { contents, opened, warnings, navigate };
  }

  it('lets the window move between the app’s pages and nowhere else', () => {
    const { navigate, opened } = guarded();
    expect(navigate('will-navigate', 'app://renderer/alerts')).toBe(false);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(opened).toEqual([]);
  });

  it('opens an allowed link in the OS browser instead of the window', () => {
    const { navigate, opened } = guarded();
    expect(navigate('will-navigate', 'https://github.com/gateway')).toBe(true);
    expect(opened).toEqual(['https://github.com/gateway']);
  });

  it('denies every new window, handing allowed links to the browser', () => {
    const { contents, opened } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'app://renderer/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/x']);
  });

  it('keeps subframes on the app and refuses webviews', () => {
    const { navigate } = guarded();
    expect(navigate('will-frame-navigate', 'https://evil.example/', { isMainFrame: false })).toBe(true);
    expect(navigate('will-frame-navigate', 'app://renderer/frame.html', { isMainFrame: false })).toBe(false);
    expect(navigate('will-attach-webview', 'https://evil.example/')).toBe(true);
  });
});

describe('guardSession', () => {
  function guarded(appOrigins?: string[]) {
    const session = new FakeSession();
    const { options, warnings } = setup(appOrigins);
    guardSession(session as unknown as Session, options);
    return { session, warnings };
  }

  it('denies permission requests and checks, but plain clipboard writes from the app', () => {
    const { session, warnings } = guarded();
    const answers: boolean[] = [];
    const request = (permission: string, requestingUrl: string) =>
      session.permissionRequestHandler?.(undefined, permission, (granted: boolean) => answers.push(granted), {
        requestingUrl,
      });
    request('media', 'app://renderer/index.html');
    request('geolocation', 'app://renderer/index.html');
    request('clipboard-sanitized-write', 'app://renderer/index.html');
    request('clipboard-sanitized-write', 'https://evil.example/');
    expect(answers).toEqual([false, false, true, false]);
    expect(warnings).toHaveLength(3);
    expect(session.permissionCheckHandler?.(undefined, 'serial', 'app://renderer', {})).toBe(false);
    expect(session.permissionCheckHandler?.(undefined, 'clipboard-sanitized-write', 'app://renderer', {})).toBe(true);
    expect(session.devicePermissionHandler?.({ deviceType: 'serial', origin: 'app://renderer' })).toBe(false);
  });

  it('cancels the Web Serial, WebHID and WebUSB pickers', () => {
    const { session } = guarded();
    const serial = new FakeEvent();
    const chosen = vi.fn();
    session.emit('select-serial-port', serial, [{ portId: 'COM3' }], undefined, chosen);
    expect(serial.defaultPrevented).toBe(true);
    expect(chosen).toHaveBeenCalledWith('');
    for (const picker of ['select-hid-device', 'select-usb-device']) {
      const event = new FakeEvent();
      const callback = vi.fn();
      session.emit(picker, event, { deviceList: [{ deviceId: '1' }] }, callback);
      expect(event.defaultPrevented, picker).toBe(true);
      expect(callback, picker).toHaveBeenCalledWith();
    }
  });

  it('blocks every network request from the renderer (except the dev server in development)', () => {
    const { session, warnings } = guarded([APP_ORIGIN, 'http://localhost:5173']);
    const decisions: unknown[] = [];
    const request = (url: string) => session.beforeRequest?.listener({ url }, (r: unknown) => decisions.push(r));
    expect(session.beforeRequest?.filter.urls).toEqual(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']);
    request('https://telemetry.example/collect');
    request('ws://10.0.0.5:1883/');
    request('http://localhost:5173/src/main.tsx');
    request('ws://localhost:5173/');
    request('ws://localhost:8480/');
    expect(decisions).toEqual([
      { cancel: true },
      { cancel: true },
      { cancel: false },
      { cancel: false },
      { cancel: true },
    ]);
    expect(warnings).toHaveLength(3);
  });
});
