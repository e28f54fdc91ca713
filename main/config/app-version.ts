// The application's version, as package.json gives it.
import { readFileSync } from 'node:fs';
import { appPath } from './app-root.ts';

let cached: string | undefined;

export function appVersion(): string {
  cached ??= (JSON.parse(readFileSync(appPath('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
