// A run whose tests leave their server behind on purpose (e2e/server-teardown.spec.ts starts it
// and checks that nothing is left running afterwards). Not part of the main suite: its files end
// in .abandon.ts.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.abandon.ts',
  outputDir: '../../../test-results/e2e-abandoned-server',
  globalSetup: '../server-registry-setup.ts',
  workers: 1,
  reporter: [['list']],
});
