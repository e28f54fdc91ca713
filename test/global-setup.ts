// Starts the servers that many suites share, once per test run. A suite that must stop or kill
// its server (outage tests) starts its own instead.
import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from './services/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** superuser URL of the shared PostgreSQL server; '' when PostgreSQL is not installed */
    postgresUrl: string;
  }
}

let postgres: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  postgres = await startPostgres();
  project.provide('postgresUrl', postgres?.url ?? '');
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
}
