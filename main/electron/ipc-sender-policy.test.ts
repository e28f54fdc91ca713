import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin.ts';
import { isAppFrame } from './ipc-sender-policy.ts';

const origins = [APP_ORIGIN, 'http://localhost:5173'];

describe('isAppFrame', () => {
  it('trusts the app’s own page in the main frame', () => {
    expect(isAppFrame({ url: APP_ENTRY_URL, isMainFrame: true }, origins)).toBe(true);
    expect(isAppFrame({ url: `${APP_ORIGIN}/index.html#/tags`, isMainFrame: true }, origins)).toBe(true);
    expect(isAppFrame({ url: 'http://localhost:5173/tags', isMainFrame: true }, origins)).toBe(true);
  });

  it('refuses iframes, file: pages, other origins and nonsense', () => {
    expect(isAppFrame({ url: APP_ENTRY_URL, isMainFrame: false }, origins)).toBe(false);
    expect(isAppFrame({ url: 'file:///opt/gateway/out/renderer/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame({ url: 'app://evil/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame({ url: 'https://example.com/', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame({ url: 'http://localhost:5174/', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame({ url: 'about:blank', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame({ url: 'not a url', isMainFrame: true }, origins)).toBe(false);
    expect(isAppFrame(null, origins)).toBe(false);
    expect(isAppFrame({ url: 'http://localhost:5173/', isMainFrame: true }, [APP_ORIGIN])).toBe(false);
  });
});
