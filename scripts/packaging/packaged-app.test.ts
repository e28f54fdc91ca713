// Packs the app with electron-builder and the project's electron-builder.yml (over a stand-in
// Electron binary: none can be downloaded here) and checks the result the way a user's machine
// will use it: every file the app needs at run time is in app.asar or unpacked beside it, native
// modules are real files, the fuses are flipped, and the gateway starts from the packed files
// alone, PGlite's wasm and data and the migrations included.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extractAll, extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_PROBES, packApp, type PackedApp } from './pack-app.ts';
import { runtimeFiles, type RuntimeFiles } from './runtime-files.ts';
import { FUSE_OFF, FUSE_ON } from './stub-electron.ts';

const projectDir = path.resolve(import.meta.dirname, '..', '..');
let workDir: string;
let packed: PackedApp;
let asarPath: string;
let unpackedDir: string;
/** every file in app.asar, relative, forward slashes */
let inAsar: Set<string>;
let needed: RuntimeFiles;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gw-packaged-'));
  packed = await packApp(projectDir, workDir);
  asarPath = path.join(packed.resourcesDir, 'app.asar');
  unpackedDir = path.join(packed.resourcesDir, 'app.asar.unpacked');
  inAsar = new Set(listPackage(asarPath, { isPack: false }).map((file) => file.replace(/\\/g, '/').replace(/^\//, '')));
  needed = await runtimeFiles(packed.stageDir, projectDir);
}, 240_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function isRealFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

describe('the packaged app', () => {
  it('contains every file of the built app, its migrations and proto files', () => {
    const missing = needed.app.filter((file) => !inAsar.has(file));
    expect(missing).toEqual([]);
    expect(needed.app).toEqual(
      expect.arrayContaining([
        'out/main/electron-main.js',
        'out/preload/preload.cjs',
        'out/renderer/index.html',
        'drizzle/migrations/meta/_journal.json',
        'proto/frame.proto',
      ]),
    );
  });

  it('contains every run-time file of every production dependency', () => {
    expect(needed.dependencies.size).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const files of needed.dependencies.values()) {
      for (const file of files) if (!inAsar.has(file)) missing.push(file);
    }
    expect(missing).toEqual([]);
  });

  it('resolves every package the main process imports from inside the package', async () => {
    const mainFiles = needed.app.filter((file) => file.startsWith('out/main/') && file.endsWith('.js'));
    const imported = new Set<string>();
    for (const file of mainFiles) {
      const code = await readFile(path.join(packed.stageDir, file), 'utf8');
      for (const match of code.matchAll(/(?:\bfrom|\bimport\s*\(|\brequire\s*\()\s*["']([^"'.][^"']*)["']/g)) {
        const specifier = match[1] as string;
        // `${…}` or spaces: words inside a message that happen to follow "from", not an import
        if (specifier.startsWith('node:') || specifier === 'electron' || /[$\s]/.test(specifier)) continue;
        const parts = specifier.split('/');
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
      }
    }
    expect([...imported]).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'drizzle-orm', 'pino']));
    const unresolved = [...imported].filter((name) => !inAsar.has(`node_modules/${name}/package.json`));
    expect(unresolved).toEqual([]);
  });

  it('finds PGlite’s wasm and data files inside the package', () => {
    for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) {
      expect(inAsar.has(`node_modules/@electric-sql/pglite/dist/${file}`), file).toBe(true);
    }
  });

  it('keeps native modules as real files beside the asar, whatever dependency brings them', async () => {
    const nativeFiles = [...needed.app, ...[...needed.dependencies.values()].flat()].filter((file) =>
      /(\.node$|\/prebuilds\/)/.test(file),
    );
    expect(nativeFiles).toEqual(expect.arrayContaining(NATIVE_PROBES));
    for (const file of nativeFiles) {
      expect(await isRealFile(path.join(unpackedDir, file)), file).toBe(true);
    }
    // Nothing else is unpacked: the rest stays in the (integrity-checked) asar.
    const unpacked = await readdir(unpackedDir, { recursive: true }).catch(() => [] as string[]);
    const unpackedFiles: string[] = [];
    for (const entry of unpacked) {
      if (await isRealFile(path.join(unpackedDir, entry))) unpackedFiles.push(entry.replace(/\\/g, '/'));
    }
    expect(unpackedFiles.sort()).toEqual(nativeFiles.sort());
  });

  it('leaves development tools and the sources out', () => {
    for (const name of [
      'electron',
      'electron-builder',
      'vite',
      'vitest',
      'typescript',
      '@playwright/test',
      'drizzle-kit',
    ]) {
      expect(inAsar.has(`node_modules/${name}/package.json`), name).toBe(false);
    }
    const sources = [...inAsar].filter((file) => /^(main|renderer|preload|test|scripts|e2e)\//.test(file));
    expect(sources).toEqual([]);
    expect([...inAsar].filter((file) => /\.(map|d\.[cm]?ts)$/.test(file))).toEqual([]);
  });

  it('points the packaged package.json at the Electron entry', () => {
    const manifest = JSON.parse(extractFile(asarPath, 'package.json').toString()) as { main: string };
    expect(manifest.main).toBe('out/main/electron-main.js');
    expect(inAsar.has(manifest.main)).toBe(true);
  });

  it('flips the fuses in the app’s executable', async () => {
    const wire = await getCurrentFuseWire(packed.executable);
    expect({
      runAsNode: wire[FuseV1Options.RunAsNode],
      nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      inspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
      asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      onlyFromAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      cookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
      fileProtocolPrivileges: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
    }).toEqual({
      runAsNode: FUSE_OFF,
      nodeOptions: FUSE_OFF,
      inspect: FUSE_OFF,
      asarIntegrity: FUSE_ON,
      onlyFromAsar: FUSE_ON,
      cookieEncryption: FUSE_ON,
      fileProtocolPrivileges: FUSE_OFF,
    });
  });

  it('ships Chromium’s strings in English and Simplified Chinese only', async () => {
    expect((await readdir(path.join(packed.appOutDir, 'locales'))).sort()).toEqual(['en-US.pak', 'zh-CN.pak']);
  });

  it('starts the gateway from the packed files alone', async () => {
    // Electron reads app.asar in place; plain Node needs it extracted. Either way the gateway
    // must find everything it loads (PGlite's wasm and data, the migrations) inside the package.
    const appDir = path.join(workDir, 'extracted');
    extractAll(asarPath, appDir);
    await cp(unpackedDir, appDir, { recursive: true, force: true }).catch(() => undefined);
    const dataDir = path.join(workDir, 'data');
    const child = spawn(
      process.execPath,
      [path.join(appDir, 'out', 'main', 'serve.js'), '--port', '0', '--data-dir', dataDir],
      {
        cwd: workDir,
        env: { ...process.env, DATABASE_URL: '', NODE_PATH: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the packed gateway did not start:\n${output}`)), 60_000);
        child.stdout.on('data', () => {
          const match = /serving on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the packed gateway exited with ${code}:\n${output}`));
        });
      });
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
      const page = await fetch(url);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGINT');
      expect(await exited, `the exit code after Ctrl-C; the gateway printed:\n${output}`).toBe(0);
    }
    expect(output).toContain('Stopped cleanly.');
  }, 90_000);
});
