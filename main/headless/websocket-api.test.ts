// The API over the headless server's WebSocket, for real on loopback: the typed client signs in
// and works; a token resumes a session on a new connection; foreign web pages, oversized and
// malformed messages and password guessing are refused without harm; TLS works end to end.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { selfSignedCertificate, type TestCertificate } from '../../test/services/self-signed-certificate.ts';
import { wsApiClient } from '../../test/ws-api-client.ts';
import type { AppRouter } from '../api/app-router.ts';
import { LoginRateLimiter } from '../auth/login-rate-limiter.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { MAX_MESSAGE_BYTES } from './websocket-api.ts';

/** Opens a raw WebSocket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function openRaw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
}

describe('the API over WebSocket', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let server: RunningHttpServer;
  let rendererDir: string;

  beforeAll(async () => {
    h = await apiHarness(await backend.open());
    // Real rate limiting here: 10 attempts at once per address.
    h.services.loginLimiter = new LoginRateLimiter(h.clock);
    rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-renderer-'));
    server = await startHttpServer(GatewayStartup.running(h.services), { host: '127.0.0.1', port: 0, rendererDir });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  it('serves the typed API: first start, sign-in, calls, and a session resumed by its token', async () => {
    const first = wsApiClient({ baseUrl: server.url });
    try {
      expect(await first.api.auth.setupStatus.query()).toEqual({ needsFirstAdmin: true, setupCodeRequired: false });
      const { token } = await first.api.auth.setup.mutate({ username: 'admin', password: TEST_PASSWORD });
      const device = await first.api.devices.create.mutate({ name: 'PLC', protocol: 'ModbusTcp', endpoint: 'x' });
      expect(device.createdAt).toBeInstanceOf(Date); // superjson: dates arrive as dates

      const resumed = wsApiClient({ baseUrl: server.url, token });
      try {
        expect((await resumed.api.auth.session.query())?.user.username).toBe('admin');
        expect((await resumed.api.devices.list.query()).map((d) => d.name)).toEqual(['PLC']);
      } finally {
        resumed.close();
      }
      const audit = await h.services.audit.query({ actionPrefix: 'devices.create' });
      expect(audit[0]).toMatchObject({
        ipAddress: '127.0.0.1',
        success: true,
        details: expect.objectContaining({ via: 'websocket' }),
      });
    } finally {
      first.close();
    }
  });

  it('returns errors as a code and a sentence, without a stack', async () => {
    const client = wsApiClient({ baseUrl: server.url });
    try {
      const error = await client.api.devices.list.query().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      const { message, data, shape } = error as TRPCClientError<never> & {
        data: Record<string, unknown>;
        shape: object;
      };
      expect(message).toBe('Sign in first.');
      expect(data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, reason: 'SIGN_IN_REQUIRED' });
      expect(JSON.stringify(shape)).not.toMatch(/stack|\.ts:/);
      await client.api.auth.login.mutate({ username: 'admin', password: TEST_PASSWORD });
      const invalid = (await client.api.tags.create
        .mutate({ deviceId: 'nope', name: '', address: 'a', dataType: 'Float' })
        .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
      expect(invalid.data).toMatchObject({ code: 'BAD_REQUEST', field: 'deviceId' });
      expect(invalid.data?.issues).toEqual([
        { field: 'deviceId', message: 'must be an id (UUID)' },
        { field: 'name', message: 'must not be empty' },
      ]);
    } finally {
      client.close();
    }
  });

  it('refuses a WebSocket from a foreign page, and any path but /api', async () => {
    const url = `${server.url.replace('http', 'ws')}/api`;
    expect((await openRaw(url, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await openRaw(url, { Origin: 'http://attacker.example:1', Host: 'attacker.example:1' })).status).toBe(403);
    expect((await openRaw(`${server.url.replace('http', 'ws')}/other`)).status).toBe(404);
    const own = await openRaw(url, { Origin: server.url });
    expect(own.status).toBe(101);
    own.socket?.close();
  });

  it('survives malformed and oversized messages', async () => {
    const url = `${server.url.replace('http', 'ws')}/api`;
    const { socket } = await openRaw(url);
    if (!socket) throw new Error('no socket');
    socket.send('{not json');
    // Errors travel superjson-encoded, as every message does.
    expect(await nextMessage(socket)).toMatchObject({ id: null, error: { json: { data: { code: 'PARSE_ERROR' } } } });
    socket.send(
      JSON.stringify({ id: 1, method: 'query', params: { path: 'no.such.procedure', input: { json: null } } }),
    );
    expect(await nextMessage(socket)).toMatchObject({ id: 1, error: { json: { data: { code: 'NOT_FOUND' } } } });
    socket.send(
      JSON.stringify(
        Array.from({ length: 51 }, (_, i) => ({
          id: i + 10,
          method: 'query',
          params: { path: 'auth.session', input: { json: null } },
        })),
      ),
    );
    expect(await nextMessage(socket)).toMatchObject({
      error: { json: { message: 'Batch call exceeds maximum size' } },
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009); // "message too big"
    // The server is still there for everybody else.
    const client = wsApiClient({ baseUrl: server.url });
    expect(await client.api.auth.setupStatus.query()).toMatchObject({ needsFirstAdmin: false });
    client.close();
  });

  it('rate limits sign-in attempts per address, without an audit row for each refusal', async () => {
    const client = wsApiClient({ baseUrl: server.url });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 14; i++) {
        const error = (await client.api.auth.login
          .mutate({ username: 'admin', password: `guess ${i}` })
          .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
        codes.push(error.data?.code ?? '');
      }
      expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(4);
      h.clock.advance(60_000);
      await h.services.users.unlock((await h.services.repos.users.getByUsername('admin'))!.id);
      expect((await client.api.auth.login.mutate({ username: 'admin', password: TEST_PASSWORD })).session).toBeTruthy();
      const rows = await h.services.audit.query({ actionPrefix: 'auth.login', success: false, limit: 1000 });
      expect(rows.some((row) => row.errorMessage?.startsWith('Too many'))).toBe(false);
    } finally {
      client.close();
    }
  });
});

describe('the API over TLS', () => {
  const backend = databaseBackends()[0]!;
  let certificate: TestCertificate | undefined;
  let h: ApiHarness;
  let server: RunningHttpServer;

  beforeAll(async () => {
    certificate = await selfSignedCertificate();
    if (!certificate) return;
    h = await apiHarness(await backend.open());
    server = await startHttpServer(GatewayStartup.running(h.services), {
      host: '127.0.0.1',
      port: 0,
      rendererDir: os.tmpdir(),
      tls: { cert: certificate.cert, key: certificate.key },
    });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
    await certificate?.remove();
  });

  it('speaks https and wss with the given certificate', async ({ skip }) => {
    if (!certificate) return skip('openssl is not installed');
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = wsApiClient({ baseUrl: server.url, ca: certificate.cert, origin: server.url });
    try {
      expect(await client.api.auth.setupStatus.query()).toMatchObject({ needsFirstAdmin: true });
    } finally {
      client.close();
    }
    // The page's origin over TLS is https://…: the plain-http origin of the same host is foreign.
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${server.url.replace('https', 'wss')}/api`, {
        ca: certificate!.cert,
        origin: server.url.replace('https', 'http'),
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(refused).toBe(403);
  });
});
