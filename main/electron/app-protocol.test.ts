import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetFakeElectron, state } from '../../test/fake-electron.ts';
import { writeRendererFixture, type RendererFixture } from '../../test/renderer-fixture.ts';
import { CONTENT_SECURITY_POLICY } from '../renderer-serving/security-headers.ts';
import { appProtocolHandler, registerAppScheme, serveAppProtocol } from './app-protocol.ts';

vi.mock('electron', () => import('../../test/fake-electron.ts'));

let fixture: RendererFixture;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  fixture = await writeRendererFixture(
    {
      'index.html': '<!doctype html><title>Gateway</title>',
      'assets/index-9f8e.js': 'export {};',
      'assets/index-9f8e.css': 'body{}',
    },
    { 'package.json': '{"secret": true}' },
  );
  handle = appProtocolHandler(fixture.rendererDir);
});

afterAll(() => fixture.remove());

beforeEach(() => resetFakeElectron());

describe('registerAppScheme', () => {
  it('registers app:// as a standard, secure scheme, without CSP bypass or service workers', () => {
    registerAppScheme();
    expect(state.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('serves the renderer folder under app://', async () => {
    serveAppProtocol(fixture.rendererDir);
    const handler = state.protocolHandlers.get('app');
    const response = await handler?.(new Request('app://renderer/index.html'));
    expect(response?.status).toBe(200);
  });
});

describe('appProtocolHandler', () => {
  it('serves the app shell with the CSP and security headers', async () => {
    const response = await handle(new Request('app://renderer/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('<!doctype html><title>Gateway</title>');
  });

  it('gives scripts and styles their MIME types (a module script needs the right one)', async () => {
    const script = await handle(new Request('app://renderer/assets/index-9f8e.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-length')).toBe('10');
    const style = await handle(new Request('app://renderer/assets/index-9f8e.css'));
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves the app shell for client-side routes', async () => {
    const response = await handle(new Request('app://renderer/devices/12/tags'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Gateway</title>');
  });

  it('refuses to leave the renderer folder, however the path is spelled', async () => {
    for (const url of [
      'app://renderer/..%2fpackage.json',
      'app://renderer/assets/..%2f..%2fpackage.json',
      'app://renderer/%2e%2e%2fpackage.json',
      'app://renderer/..%5cpackage.json',
    ]) {
      const response = await handle(new Request(url));
      expect([403, 404], url).toContain(response.status);
      expect(await response.text(), url).not.toContain('secret');
    }
    // Plain ../ never even reaches the handler: URL parsing resolves it inside the origin.
    const dotted = await handle(new Request('app://renderer/../../package.json'));
    expect(dotted.status).toBe(404);
  });

  it('answers only for its own host and only to reads', async () => {
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://renderer/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handle(new Request('app://renderer/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says 404 for a missing asset and 400 for a malformed path', async () => {
    expect((await handle(new Request('app://renderer/assets/gone.js'))).status).toBe(404);
    expect((await handle(new Request('app://renderer/%E0%A4%A'))).status).toBe(400);
  });
});
