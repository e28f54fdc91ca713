// The headless server answers from the first second of the gateway's start: the page and
// /healthz at once, the API's security checks at once, every procedure refused as "still
// starting" (in words, with a reason the UI waits on) until the gateway runs, system.startup
// reporting the stages; then the same connection is served. A start that fails says why.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { STARTUP_PATH } from '../../common/startup-endpoint.ts';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { freePort } from '../../test/services/free-port.ts';
import { wsApiClient } from '../../test/ws-api-client.ts';
import type { AppRouter } from '../api/app-router.ts';
import { createGateway } from '../gateway/create-gateway.ts';
import { GatewayStartup, type StartupState } from '../gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';

async function health(server: RunningHttpServer): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: await response.json() };
}

/** The start's state over plain HTTP, as the page reads it before its WebSocket answers. */
async function startupOverHttp(server: RunningHttpServer): Promise<unknown> {
  const response = await fetch(`${server.url}${STARTUP_PATH}`);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return response.json();
}

async function refusal(call: Promise<unknown>): Promise<{ message: string; code?: string; reason?: string }> {
  const error = await call.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw error;
  const data = (error as TRPCClientError<AppRouter>).data as { code?: string; reason?: string } | undefined;
  return { message: error.message, code: data?.code, reason: data?.reason };
}

/** Follows system.startup; `states` fills as they arrive, `done` resolves when it completes. */
function followStartup(client: ReturnType<typeof wsApiClient>) {
  const states: StartupState[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.api.system.startup.subscribe(undefined, {
      onData: (state) => states.push(state),
      onComplete: () => resolve(),
      onError: reject,
    });
  });
  return { states, done };
}

describe('a gateway that is still starting', () => {
  const backend = databaseBackends()[0]!;
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(startup: GatewayStartup): Promise<RunningHttpServer> {
    const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-renderer-'));
    const server = await startHttpServer(startup, { host: '127.0.0.1', port: 0, rendererDir });
    cleanups.push(() => rm(rendererDir, { recursive: true, force: true }));
    cleanups.push(() => server.close());
    return server;
  }

  it('refuses calls as starting, reports each stage, then serves the same connection', async () => {
    const startup = new GatewayStartup();
    const server = await serve(startup);
    expect(await health(server)).toEqual({
      status: 503,
      body: { status: 'starting', stage: 'database', step: 1, steps: 5 },
    });

    const client = wsApiClient({ baseUrl: server.url });
    cleanups.push(() => client.close());
    expect(await refusal(client.api.auth.setupStatus.query())).toEqual({
      message: 'The gateway is still starting (opening the database, step 1 of 5); try again in a moment.',
      code: 'SERVICE_UNAVAILABLE',
      reason: 'GATEWAY_STARTING',
    });
    expect(await refusal(client.api.auth.login.mutate({ username: 'admin', password: TEST_PASSWORD }))).toMatchObject({
      reason: 'GATEWAY_STARTING',
    });

    // The security checks hold from the first second: a foreign page is refused at the upgrade.
    const foreign = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api`, {
        headers: { Origin: 'http://evil.example' },
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => reject(new Error('a foreign page got a WebSocket')));
      socket.once('error', reject);
    });
    expect(foreign).toBe(403);

    const progress = followStartup(client);
    await expect.poll(() => progress.states.length).toBe(1);
    startup.stage('historian');
    await expect.poll(() => progress.states.length).toBe(2);
    expect(await health(server)).toMatchObject({ status: 503, body: { status: 'starting', stage: 'historian' } });
    expect(await startupOverHttp(server)).toEqual(progress.states[1]);

    // The gateway comes up: the stream ends with "ready", and the same connection is served.
    const h: ApiHarness = await apiHarness(await backend.open());
    cleanups.push(() => h.close());
    startup.ready(h.services);
    await progress.done;
    expect(progress.states).toEqual([
      { phase: 'starting', stage: 'database', step: 1, steps: 5, freshDataFolder: false },
      { phase: 'starting', stage: 'historian', step: 3, steps: 5, freshDataFolder: false },
      { phase: 'ready' },
    ]);
    expect(await client.api.auth.setupStatus.query()).toEqual({ needsFirstAdmin: true, setupCodeRequired: false });
    expect(await health(server)).toEqual({ status: 200, body: { status: 'ok', database: 'pglite' } });
    expect(await startupOverHttp(server)).toEqual({ phase: 'ready' });
    // Asked after the start, system.startup answers "ready" and ends.
    const late = followStartup(client);
    await late.done;
    expect(late.states).toEqual([{ phase: 'ready' }]);
  });

  it('says why a start failed, on /healthz and to every call, instead of hanging', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-failing-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const startup = new GatewayStartup();
    const server = await serve(startup);
    const client = wsApiClient({ baseUrl: server.url });
    cleanups.push(() => client.close());
    const progress = followStartup(client);
    await expect.poll(() => progress.states.length).toBe(1);

    // A real start that fails: the configured PostgreSQL cannot be reached.
    const port = await freePort(); // nothing listens there: a PostgreSQL that cannot be reached
    const failure = await createGateway(
      { dataDir, databaseUrl: `postgresql://gateway:secret@127.0.0.1:${port}/gateway` },
      { onStage: (stage) => startup.stage(stage) },
    ).then(
      () => new Error('expected the start to fail'),
      (error: unknown) => error,
    );
    startup.failed(failure);
    await progress.done;
    const failed = progress.states.at(-1) as Extract<StartupState, { phase: 'failed' }>;
    expect(failed.phase).toBe('failed');
    expect(failed.message).toMatch(
      new RegExp(`^Cannot connect to PostgreSQL at postgresql://gateway:\\*\\*\\*@127\\.0\\.0\\.1:${port}/gateway: `),
    );
    expect(await health(server)).toEqual({ status: 503, body: { status: 'failed', message: failed.message } });
    expect(await startupOverHttp(server)).toEqual(failed);
    expect(await refusal(client.api.auth.session.query())).toEqual({
      message: `The gateway could not start: ${failed.message}`,
      code: 'SERVICE_UNAVAILABLE',
      reason: 'GATEWAY_FAILED',
    });
  });
});
