import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl, originOf, rendererSource } from './app-origin.ts';

describe('app origin', () => {
  it('is app://renderer, and the window starts at its index.html', () => {
    expect(APP_ORIGIN).toBe('app://renderer');
    expect(APP_ENTRY_URL).toBe('app://renderer/index.html');
  });

  it('gives the web origin of a URL, or nothing for junk and opaque origins', () => {
    expect(originOf('app://Renderer/tags?x=1')).toBe('app://renderer');
    expect(originOf('https://github.com/a/b')).toBe('https://github.com');
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
  });

  it('tells the app’s own pages from everything else', () => {
    expect(isAppUrl('app://renderer/index.html')).toBe(true);
    expect(isAppUrl('app://renderer/devices/3')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///work/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', ['app://renderer', 'http://localhost:5173'])).toBe(true);
  });
});

describe('rendererSource', () => {
  it('always serves a packaged app over app://', () => {
    expect(rendererSource(true, 'http://localhost:5173/')).toEqual({
      entryUrl: 'app://renderer/index.html',
      appOrigins: ['app://renderer'],
    });
    expect(rendererSource(false, undefined).entryUrl).toBe('app://renderer/index.html');
  });

  it('uses the dev server in development, on loopback only', () => {
    expect(rendererSource(false, 'http://localhost:5173/')).toEqual({
      entryUrl: 'http://localhost:5173/',
      appOrigins: ['app://renderer', 'http://localhost:5173'],
    });
    expect(() => rendererSource(false, 'http://192.168.1.5:5173/')).toThrow(
      'ELECTRON_RENDERER_URL must be an http:// URL on this machine',
    );
    expect(() => rendererSource(false, 'https://localhost:5173/')).toThrow(/on this machine/);
    expect(() => rendererSource(false, 'nonsense')).toThrow('ELECTRON_RENDERER_URL is not a URL: "nonsense"');
  });
});
