// A stand-in for the unpacked Electron distribution that electron-builder copies into the app
// (`electronDist`), because no Electron binary can be downloaded here. Its executable is a tiny
// file carrying Electron's fuse wire (the sentinel and the default fuse states of Electron 45),
// so electron-builder's fuse flipping runs for real on it and the test can read the result.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';

/** @electron/fuses finds the wire right after this marker, in every Electron build since 12. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A fuse's state is one byte on the wire: ASCII '1' on, '0' off. */
export const FUSE_ON = 0x31;
export const FUSE_OFF = 0x30;

/** Electron's defaults, before any flipping: everything legacy on, every protection off. */
const ELECTRON_DEFAULT_WIRE: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: FUSE_ON,
  [FuseV1Options.EnableCookieEncryption]: FUSE_OFF,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FUSE_ON,
  [FuseV1Options.EnableNodeCliInspectArguments]: FUSE_ON,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FUSE_OFF,
  [FuseV1Options.OnlyLoadAppFromAsar]: FUSE_OFF,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FUSE_OFF,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FUSE_ON,
};

/** Writes the stand-in distribution for Linux into folder and returns it. */
export async function writeStubElectronDist(folder: string): Promise<string> {
  await mkdir(path.join(folder, 'locales'), { recursive: true });
  await mkdir(path.join(folder, 'resources'), { recursive: true });
  const wire = Object.keys(ELECTRON_DEFAULT_WIRE)
    .map(Number)
    .sort((a, b) => a - b)
    .map((option) => ELECTRON_DEFAULT_WIRE[option as FuseV1Options]);
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron binary for packaging tests" >&2\nexit 1\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, wire.length, ...wire]),
  ]);
  await writeFile(path.join(folder, 'electron'), binary);
  await chmod(path.join(folder, 'electron'), 0o755);
  // Locales to see electronLanguages at work: kept ones and one to be removed.
  for (const locale of ['en-US', 'zh-CN', 'de']) await writeFile(path.join(folder, 'locales', `${locale}.pak`), locale);
  await writeFile(path.join(folder, 'LICENSE'), 'stand-in');
  await writeFile(path.join(folder, 'version'), '45.5.0');
  return folder;
}
