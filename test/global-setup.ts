// Starts the servers that many suites share, once per test run. A suite that must stop or kill
// its server (outage tests) starts its own instead.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PgliteWorkerClient } from '../main/db/pglite-worker-client.ts';
import { startPostgres, type PostgresServer } from './services/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** superuser URL of the shared PostgreSQL server; '' when PostgreSQL is not installed */
    postgresUrl: string;
    /** a migrated PGlite data-folder dump (database-backends.ts starts every PGlite from it) */
    pgliteTemplateFile: string;
  }
}

let postgres: PostgresServer | undefined;
let templateDir: string | undefined;

/** Made once per run: a fresh PGlite cluster and its migrations cost seconds of CPU each time. */
async function migratedPgliteTemplate(): Promise<string> {
  templateDir = await mkdtemp(path.join(os.tmpdir(), 'gw-pglite-template-'));
  const file = path.join(templateDir, 'migrated.tar');
  const client = await PgliteWorkerClient.open({ migrate: true });
  try {
    await writeFile(file, await client.dump());
  } finally {
    await client.close();
  }
  return file;
}

export async function setup(project: TestProject): Promise<void> {
  const [server, template] = await Promise.all([startPostgres(), migratedPgliteTemplate()]);
  postgres = server;
  project.provide('postgresUrl', postgres?.url ?? '');
  project.provide('pgliteTemplateFile', template);
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
  if (templateDir) await rm(templateDir, { recursive: true, force: true });
}
