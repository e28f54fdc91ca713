// End-to-end tests in Debian's Chromium against the headless server (`npm run serve`), which
// each spec starts itself on a free port with a throwaway data folder.
import { defineConfig } from '@playwright/test';
import { chromiumExecutable } from './e2e/support/chromium.ts';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // The Electron spec has its own config and script (npm run test:electron).
  testIgnore: 'electron/**',
  outputDir: 'test-results/e2e',
  // Lists the servers the specs start; its teardown kills any a dead worker left running.
  globalSetup: './e2e/support/server-registry-setup.ts',
  timeout: 60_000,
  // Signing in hashes a password (scrypt): seconds on a shared 2-core machine under load.
  expect: { timeout: 15_000 },
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
