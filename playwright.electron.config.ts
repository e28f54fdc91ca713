// The Electron desktop spec (`npm run test:electron`), kept apart from `npm test`'s Chromium run
// because it needs an Electron binary, which cannot be downloaded everywhere.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e/electron',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/electron',
  timeout: 90_000,
  workers: 1,
  reporter: [['list']],
});
