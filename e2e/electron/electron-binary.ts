// Finds the Electron binary the way node_modules/electron does, without its fallback of
// downloading one (which hangs or fails on an offline machine). Undefined when there is none:
// `npm ci` ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or the download failed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const electronPackage = path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'electron');

export function electronBinary(): string | undefined {
  const pathFile = path.join(electronPackage, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, relative ?? 'electron')
    : relative && path.join(electronPackage, 'dist', relative);
  return candidate && existsSync(candidate) ? candidate : undefined;
}

export const NO_ELECTRON_BINARY =
  'No Electron binary: node_modules/electron has no downloaded dist/ (installed with ' +
  'ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline). On a machine with internet, run ' +
  '`node node_modules/electron/install.js` (or `npm ci` without that variable), then `npm run test:electron`.';
