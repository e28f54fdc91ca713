import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppFrame } from './ipc-sender-policy.ts';

const rendererDir = '/opt/gateway/resources/app.asar/out/renderer';
const page = pathToFileURL(`${rendererDir}/index.html`).href;
const policy = { rendererDir, origins: ['http://localhost:5173'] };

describe('isAppFrame', () => {
  it('trusts the app’s own page in the main frame', () => {
    expect(isAppFrame({ url: page, isMainFrame: true }, policy)).toBe(true);
    expect(isAppFrame({ url: `${page}#/tags`, isMainFrame: true }, policy)).toBe(true);
    expect(isAppFrame({ url: 'http://localhost:5173/tags', isMainFrame: true }, policy)).toBe(true);
    expect(isAppFrame({ url: 'app://gateway/index.html', isMainFrame: true }, { origins: ['app://gateway'] })).toBe(
      true,
    );
  });

  it('refuses iframes, other files, other origins and nonsense', () => {
    expect(isAppFrame({ url: page, isMainFrame: false }, policy)).toBe(false);
    expect(isAppFrame({ url: 'file:///etc/passwd', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame({ url: pathToFileURL(`${rendererDir}/../evil.html`).href, isMainFrame: true }, policy)).toBe(
      false,
    );
    expect(isAppFrame({ url: pathToFileURL(`${rendererDir}-evil/index.html`).href, isMainFrame: true }, policy)).toBe(
      false,
    );
    expect(isAppFrame({ url: 'file://server/share/index.html', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame({ url: 'https://example.com/', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame({ url: 'http://localhost:5174/', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame({ url: 'about:blank', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame({ url: 'not a url', isMainFrame: true }, policy)).toBe(false);
    expect(isAppFrame(null, policy)).toBe(false);
    expect(isAppFrame({ url: page, isMainFrame: true }, {})).toBe(false);
  });
});
