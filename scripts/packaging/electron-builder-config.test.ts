// electron-builder.yml, loaded and validated by electron-builder's own loader, says what the
// installers must be: NSIS for Windows, AppImage and .deb for Linux, the fuses, the native
// modules left unpacked and unrebuilt, and icons that exist in the sizes the targets need.
// (packaged-app.test.ts then packs the app with it.)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const projectDir = path.resolve(import.meta.dirname, '..', '..');
let config: Configuration;
let packageJson: { main: string; productName: string; dependencies: Record<string, string> };

beforeAll(async () => {
  config = await getConfig(projectDir, null, null);
  packageJson = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8'));
});

function targets(platform: Configuration['win'] | Configuration['linux']): { target: string; arch: string[] }[] {
  return (platform?.target as { target: string; arch: string[] }[] | undefined) ?? [];
}

/** Sizes of the images in an .ico file (its directory: 16-byte entries after a 6-byte header). */
function icoSizes(ico: Buffer): number[] {
  expect(ico.readUInt16LE(2), 'an .ico file (type 1)').toBe(1);
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app as package.json does', () => {
    expect(config.appId).toBe('io.github.gateway-workstation');
    expect(config.productName).toBe(packageJson.productName);
    expect(packageJson.main).toBe('out/main/electron-main.js');
  });

  it('builds a Windows NSIS installer and a Linux AppImage and .deb for x64', () => {
    expect(targets(config.win)).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(targets(config.linux)).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    // A per-user install needs no administrator on a locked-down plant laptop.
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, deleteAppDataOnUninstall: false });
    expect(config.publish).toBeNull();
    expect(config.appImage?.artifactName).toBe('Gateway-Workstation-${version}.${ext}');
  });

  it('sets every fuse the hardening needs', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs into an asar, leaves native prebuilds unpacked and does not rebuild them', () => {
    expect(config.asar).toEqual({ smartUnpack: false });
    expect(config.asarUnpack).toEqual(['**/prebuilds/**', '**/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('includes the built app, the migrations, the proto files and nothing of the sources', () => {
    const [files] = config.files as { filter: string[] }[];
    expect(files?.filter).toEqual([
      'out/**',
      'drizzle/migrations/**',
      'proto/*.proto',
      'package.json',
      '!**/*.map',
      '!**/*.d.{ts,cts,mts}',
      '!**/node_modules/**/*.{c,cc,cpp,h,hpp,gyp,gypi}',
      '!**/node_modules/rocksdb/deps/**',
    ]);
  });

  it('has the icons: a multi-size .ico for Windows and NSIS, a 512 px PNG for Linux', async () => {
    expect(config.win?.icon).toBe('assets/icon.ico');
    expect(config.nsis?.installerIcon).toBe('assets/icon.ico');
    expect(config.nsis?.uninstallerIcon).toBe('assets/icon.ico');
    const sizes = icoSizes(await readFile(path.join(projectDir, 'assets', 'icon.ico')));
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));

    expect(config.linux?.icon).toBe('assets/icon.png');
    const png = await readFile(path.join(projectDir, 'assets', 'icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
