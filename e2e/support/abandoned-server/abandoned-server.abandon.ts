// Two tests that never stop their server: one times out while it runs, the other's worker dies
// at once (SIGKILL: no exit handler runs). Each writes "<case> <pid> <data folder>" to the file
// named by GW_E2E_ABANDONED_LOG first.
import { appendFileSync } from 'node:fs';
import { test } from '@playwright/test';
import { startHeadlessServer, type HeadlessServer } from '../headless-server.ts';

function note(what: string, server: HeadlessServer): void {
  appendFileSync(process.env.GW_E2E_ABANDONED_LOG as string, `${what} ${server.process.pid} ${server.dataDir}\n`);
}

test('times out while its server runs', async () => {
  const started = Date.now();
  test.setTimeout(120_000);
  const server = await startHeadlessServer([], undefined, { until: 'page' });
  note('timeout', server);
  test.setTimeout(Date.now() - started + 1_000);
  await new Promise(() => undefined);
});

test('its worker is killed while its server runs', async () => {
  test.setTimeout(120_000);
  const server = await startHeadlessServer([], undefined, { until: 'page' });
  note('killed', server);
  process.kill(process.pid, 'SIGKILL');
});
