// The API over the headless server's WebSocket, for real on loopback: the typed client signs in
// and works; a token resumes a session on a new connection; foreign web pages, oversized and
// malformed messages and password guessing are refused without harm; a client that stops reading
// is held to a bounded backlog and closed, without slowing the others; TLS works end to end.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { selfSignedCertificate, type TestCertificate } from '../../test/services/self-signed-certificate.ts';
import { until } from '../../test/wait.ts';
import { wsApiClient } from '../../test/ws-api-client.ts';
import { Quality, QualityReason } from '../../proto/generated/frame.ts';
import type { AppRouter } from '../api/app-router.ts';
import { LoginRateLimiter } from '../auth/login-rate-limiter.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { SLOW_CLIENT_CLOSE_CODE } from './slow-client-guard.ts';
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

const TAGS = 1_000;
/** a 1 KiB text value per tag: a batch of every tag is ≈1 MiB, ten a second */
const TEXT = 'x'.repeat(1_024);
const LIMITS = { maxBufferedBytes: 512 * 1024, stallTimeoutMs: 3_000 };

/** A client of tRPC's WebSocket protocol that signs in, subscribes to tags.live and then stops reading. */
async function stuckClient(url: string, username: string, deviceId: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const send = (id: number, method: string, pathName: string, input: unknown) =>
    socket.send(JSON.stringify({ id, method, params: { path: pathName, input: superjson.serialize(input) } }));
  const received = new Map<number, number>();
  let failure: unknown;
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id: number; error?: unknown };
    failure ??= message.error;
    received.set(message.id, (received.get(message.id) ?? 0) + 1);
  });
  // the calls of one connection run concurrently: the subscription waits for the sign-in
  send(1, 'mutation', 'auth.login', { username, password: TEST_PASSWORD });
  await until(() => received.has(1) || failure !== undefined);
  send(2, 'subscription', 'tags.live', { deviceIds: [deviceId], intervalMs: 100 });
  await until(() => (received.get(2) ?? 0) >= 3 || failure !== undefined);
  if (failure) throw new Error(`the stuck client was refused: ${JSON.stringify(failure)}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    closed,
    /** the client's own TCP socket (ws keeps it private) */
    tcp: (socket as unknown as { _socket: Socket })._socket,
    close: () => socket.terminate(),
  };
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
    server = await startHttpServer(GatewayStartup.running(h.services), {
      host: '127.0.0.1',
      port: 0,
      rendererDir,
      slowClients: LIMITS,
    });
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

  it('holds a client that stops reading to a bounded backlog, closes it after the stall timeout, and slows nobody else', async () => {
    h.clock.advance(10 * 60_000); // the sign-in rate limit of the test above has refilled
    await h.signedInAs('VIEWER', 'stuck');
    await h.signedInAs('VIEWER', 'reader');
    const deviceId = randomUUID();
    const tags = Array.from({ length: TAGS }, () => randomUUID());
    let round = 0;
    let producing = true;
    const producer = (async () => {
      for (; producing; round++) {
        for (const tagId of tags) {
          h.services.bus.publish({
            type: 'data',
            payload: {
              tagId,
              deviceId,
              value: { kind: { $case: 'stringValue', value: `${round} ${TEXT}` } },
              rawValue: round,
              sourceTimestamp: BigInt(Date.now()) * 1_000_000n,
              quality: Quality.QUALITY_GOOD,
              qualityReason: QualityReason.QUALITY_REASON_NONE,
              errorCode: 0,
            },
          });
        }
        await h.services.bus.drain();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const reader = wsApiClient({ baseUrl: server.url });
    await reader.api.auth.login.mutate({ username: 'reader', password: TEST_PASSWORD });
    let readerUpdates = 0;
    let readerLatestRound = -1;
    const readerStream = reader.api.tags.live.subscribe(
      { deviceIds: [deviceId], intervalMs: 100 },
      {
        onData: (message) => {
          readerUpdates += message.values.length;
          for (const value of message.values) {
            readerLatestRound = Math.max(readerLatestRound, Number(String(value.value).split(' ')[0]));
          }
        },
      },
    );

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let stuck: Awaited<ReturnType<typeof stuckClient>> | undefined;
    try {
      stuck = await stuckClient(`${server.url.replace(/^http/, 'ws')}/api`, 'stuck', deviceId);
      stuck.tcp.pause();
      const pausedAt = performance.now();
      const readerBefore = readerUpdates;
      // The gateway's warning names the backlog it held when it gave up.
      await until(() => warn.mock.calls.some(([text]) => /read too slowly/.test(String(text))), 15_000);
      const stalledFor = performance.now() - pausedAt;
      const warning = String(warn.mock.calls.find(([text]) => /read too slowly/.test(String(text)))![0]);
      const heldKiB = Number(/\((\d+) KiB unread/.exec(warning)![1]);
      // Ten ≈1 MiB batches a second for over three seconds: without the guard, ≥30 MiB held.
      expect(stalledFor).toBeGreaterThanOrEqual(LIMITS.stallTimeoutMs);
      // Above the limit by at most the one batch that crossed it (plus its envelope).
      expect(heldKiB * 1024).toBeLessThanOrEqual(LIMITS.maxBufferedBytes + 2 * TAGS * (TEXT.length + 200));
      // The normal client kept getting its batches meanwhile, with current values.
      expect(readerUpdates - readerBefore).toBeGreaterThanOrEqual(TAGS * 10);
      // Reading again, the stuck client gets its backlog and then the close frame.
      stuck.tcp.resume();
      const closed = await stuck.closed;
      expect(closed.code).toBe(SLOW_CLIENT_CLOSE_CODE);
      expect(closed.reason).toMatch(/^Closed: the client read too slowly \(\d+ KiB unread for 3 s\)$/);
      const roundAfterClose = round;
      await until(() => readerLatestRound >= roundAfterClose);
    } finally {
      warn.mockRestore();
      stuck?.close();
      readerStream.unsubscribe();
      reader.close();
      producing = false;
      await producer;
    }
  }, 30_000);
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
