// A WebSocket client that stops reading its socket, for real on loopback: the gateway stops
// sending it live batches once its backlog passes the limit (so what the gateway holds for it
// stays bounded), a normal client beside it keeps getting every batch, and after the stall
// timeout the stuck client is closed with SLOW_CLIENT_CLOSE_CODE and a reason.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { until } from '../../test/wait.ts';
import { wsApiClient } from '../../test/ws-api-client.ts';
import { Quality, QualityReason } from '../../proto/generated/frame.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from './http-server.ts';
import { SLOW_CLIENT_CLOSE_CODE } from './slow-client-guard.ts';

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

describe('a WebSocket client that stops reading', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let server: RunningHttpServer;
  let rendererDir: string;

  beforeAll(async () => {
    h = await apiHarness(await backend.open());
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

  it('is held to a bounded backlog, closed after the stall timeout, and slows nobody else', async () => {
    await h.signedInAs('ADMIN', 'admin');
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
