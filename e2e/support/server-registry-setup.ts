// Playwright's global setup and teardown for the servers the specs start: setup makes this run's
// registry folder (workers inherit the environment variable), teardown kills any server still
// listed there — one whose worker died before it could stop it — and says so.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killListedServers, SERVER_REGISTRY_ENV } from './headless-server.ts';

export default function setUpServerRegistry(): () => void {
  const registry = mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-servers-'));
  process.env[SERVER_REGISTRY_ENV] = registry;
  return () => {
    const killed = killListedServers(registry);
    if (killed.length > 0) {
      console.warn(`Killed ${killed.length} headless server(s) a test left running: process ${killed.join(', ')}`);
    }
    rmSync(registry, { recursive: true, force: true });
  };
}
