import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRendererFixture, type RendererFixture } from '../../test/renderer-fixture.ts';
import { contentTypeOf, findRendererFile } from './renderer-files.ts';

let fixture: RendererFixture;
let parent: string;
let root: string;

beforeAll(async () => {
  fixture = await writeRendererFixture(
    {
      'index.html': '<!doctype html><title>x</title>',
      'assets/index-1a2b.js': 'console.log(1)',
      'assets/pglite.wasm': new Uint8Array([0, 97, 115, 109]),
    },
    { 'secret.txt': 'secret' },
  );
  ({ parent, rendererDir: root } = fixture);
});

afterAll(() => fixture.remove());

describe('findRendererFile', () => {
  it('finds built files with their MIME type and caching', async () => {
    expect(await findRendererFile(root, '/assets/index-1a2b.js')).toEqual({
      kind: 'file',
      path: path.join(root, 'assets', 'index-1a2b.js'),
      size: 14,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(await findRendererFile(root, '/assets/pglite.wasm')).toMatchObject({ contentType: 'application/wasm' });
    expect(await findRendererFile(root, '/index.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
  });

  it('serves the app shell for client-side routes and the root', async () => {
    for (const route of ['/', '/tags', '/devices/42/tags']) {
      expect(await findRendererFile(root, route)).toMatchObject({ kind: 'file', path: path.join(root, 'index.html') });
    }
  });

  it('answers 404 for a missing asset instead of the app shell', async () => {
    expect(await findRendererFile(root, '/assets/missing.js')).toEqual({
      kind: 'refused',
      status: 404,
      reason: 'Not found',
    });
  });

  it('refuses every path that leaves the root', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      `/${encodeURIComponent(path.join(parent, 'secret.txt'))}`,
    ]) {
      const found = await findRendererFile(root, attempt);
      expect(found, attempt).toMatchObject({ kind: 'refused' });
      if (found.kind === 'refused') expect([403, 404], attempt).toContain(found.status);
    }
    expect(await findRendererFile(root, '/..%2f..%2fpackage.json')).toMatchObject({ status: 403 });
  });

  it('refuses malformed escapes and NUL bytes', async () => {
    expect(await findRendererFile(root, '/%E0%A4%A')).toMatchObject({ kind: 'refused', status: 400 });
    expect(await findRendererFile(root, '/index.html%00.png')).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('says so when the renderer is not built', async () => {
    expect(await findRendererFile(path.join(parent, 'not-built'), '/')).toMatchObject({
      kind: 'refused',
      status: 503,
      reason: expect.stringContaining('npm run build'),
    });
  });
});

describe('contentTypeOf', () => {
  it('knows the renderer file types and falls back to a download type', () => {
    expect(contentTypeOf('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('icon.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('unknown.bin')).toBe('application/octet-stream');
  });
});
