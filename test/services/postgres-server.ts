// A throwaway PostgreSQL server for tests: initdb in a temp folder, listening only on
// 127.0.0.1 on a free port, durability switched off for speed, removed on stop.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { handOver, runAs } from './run-as-service-user.ts';
import { requireExecutable } from './service-requirement.ts';

export interface PostgresServer {
  /** superuser connection string to the "postgres" database */
  url: string;
  port: number;
  dataDir: string;
  /** creates an empty database and returns its connection string */
  createDatabase(name: string): Promise<string>;
  /** stops the server but keeps its data (outage tests); startServer() brings it back */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

const SERVICE_USER = 'postgres';

function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    return readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => path.join(root, v, 'bin'));
  } catch {
    return [];
  }
}

/** Returns undefined (suite skips) when PostgreSQL is not installed and services are optional. */
export async function startPostgres(): Promise<PostgresServer | undefined> {
  const pgCtl = requireExecutable('pg_ctl', 'Debian package postgresql', postgresBinDirs());
  if (!pgCtl) return undefined;
  const binDir = path.dirname(pgCtl);
  const base = await mkdtemp(path.join(os.tmpdir(), 'gw-pg-'));
  const dataDir = path.join(base, 'data');
  await handOver(SERVICE_USER, base);
  const port = await freePort();
  await runAs(SERVICE_USER, path.join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-k ${base}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const startServer = () =>
    runAs(SERVICE_USER, pgCtl, [
      '-D',
      dataDir,
      '-l',
      path.join(base, 'server.log'),
      '-o',
      serverOptions,
      '-w',
      'start',
    ]);
  await startServer();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    // Last resort when the test process exits without calling stop(): do not leak a server.
    try {
      process.kill(Number(readPid(dataDir)), 'SIGQUIT');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopSync);

  return {
    url,
    port,
    dataDir,
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async stopServer(): Promise<void> {
      await runAs(SERVICE_USER, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
    async startServer(): Promise<void> {
      await startServer();
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      await runAs(SERVICE_USER, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    },
  };
}

function readPid(dataDir: string): string {
  // postmaster.pid's first line is the server's pid
  return (readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '').trim();
}
