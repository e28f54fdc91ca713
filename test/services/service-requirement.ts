// Service-backed suites start real servers (PostgreSQL, InfluxDB, Mosquitto, socat, …). On a
// developer's machine a missing server skips its suite with a reason; with
// GATEWAY_REQUIRE_SERVICES=1 (set by .ci/run) a missing server fails the run instead, so CI can
// never go green by skipping.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const servicesRequired = process.env.GATEWAY_REQUIRE_SERVICES === '1';

export class MissingServiceError extends Error {
  override readonly name = 'MissingServiceError';
}

/** Finds an executable on PATH or in the extra folders given; undefined when absent. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Returns the executable's path, or undefined (suite skips) when it is missing and services are
 * optional. Throws when services are required.
 */
export function requireExecutable(name: string, installHint: string, extraDirs: string[] = []): string | undefined {
  const found = findExecutable(name, extraDirs);
  if (found) return found;
  const message = `${name} is not installed (${installHint}); run scripts/install-test-deps.sh`;
  if (servicesRequired) throw new MissingServiceError(message);
  console.warn(`[skip] ${message}`);
  return undefined;
}

/**
 * Whether `python` can import `module`. Missing: undefined (suite skips) when services are
 * optional, a MissingServiceError when they are required.
 */
export function requirePythonModule(
  python: string | undefined,
  module: string,
  installHint: string,
): string | undefined {
  if (!python) return undefined;
  const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
  if (probe.status === 0) return python;
  const message = `${python} cannot import ${module} (${installHint}); run scripts/install-test-deps.sh`;
  if (servicesRequired) throw new MissingServiceError(message);
  console.warn(`[skip] ${message}`);
  return undefined;
}
