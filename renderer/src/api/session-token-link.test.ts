// The browser tab's token follows sign-in, password change, sign-out and a refused session,
// through the real WebSocket client and server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../../test/api-harness.ts';
import { databaseBackends } from '../../../test/database-backends.ts';
import type { AppRouter } from '../../../main/api/app-router.ts';
import { GatewayStartup } from '../../../main/gateway/gateway-startup.ts';
import { startHttpServer, type RunningHttpServer } from '../../../main/headless/http-server.ts';
import { sessionTokenLink, type TokenStore } from './session-token-link.ts';

describe('sessionTokenLink', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let server: RunningHttpServer;
  let rendererDir: string;
  beforeAll(async () => {
    h = await apiHarness(await backend.open());
    rendererDir = await mkdtemp(path.join(os.tmpdir(), 'gw-renderer-'));
    server = await startHttpServer(GatewayStartup.running(h.services), { host: '127.0.0.1', port: 0, rendererDir });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  function tab(store: TokenStore) {
    const wsClient = createWSClient({
      url: `${server.url.replace('http', 'ws')}/api`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: () => {
        const token = store.get();
        return token ? { token } : null;
      },
    });
    const api = createTRPCClient<AppRouter>({
      links: [sessionTokenLink<AppRouter>(store), wsLink({ client: wsClient, transformer: superjson })],
    });
    return { api, close: () => wsClient.close() };
  }

  it('stores the token of a sign-in, resumes with it after a reload, and forgets it at sign-out', async () => {
    let stored: string | null = null;
    const store: TokenStore = { get: () => stored, set: (token) => void (stored = token) };
    const first = tab(store);
    await first.api.auth.setup.mutate({ username: 'tabby', password: TEST_PASSWORD });
    expect(stored).toMatch(/^[\w-]{43}$/);
    first.close();

    const reloaded = tab(store); // a reload: a new connection that offers the stored token
    expect((await reloaded.api.auth.session.query())?.user.username).toBe('tabby');
    const before = stored;
    await reloaded.api.auth.changePassword.mutate({
      currentPassword: TEST_PASSWORD,
      newPassword: 'a changed passphrase',
    });
    expect(stored).not.toBe(before);
    await reloaded.api.auth.logout.mutate();
    expect(stored).toBeNull();
    reloaded.close();

    stored = 'a token the gateway does not know';
    const stale = tab(store);
    await expect(stale.api.devices.list.query()).rejects.toThrow('Sign in first.');
    expect(stored).toBeNull();
    stale.close();
  });
});
