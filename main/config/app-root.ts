// Locates the application's root folder (the one holding package.json, drizzle/ and proto/)
// from wherever this code runs: main/config/*.ts under Vitest or tsx, out/main/*.js after the
// build, or app.asar/out/main/*.js inside a packaged Electron app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function appRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'drizzle'))) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the application folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function appPath(...segments: string[]): string {
  return path.join(appRoot(), ...segments);
}
