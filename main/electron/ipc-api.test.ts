// The desktop window's API path with a mocked `electron` (no Electron binary here): the real
// preload, the renderer's real IPC link and the real main-process handler and router, joined by
// fake ipcMain/ipcRenderer/webContents. A forged sender (another page, an iframe) is refused.
import { EventEmitter } from 'node:events';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CHANNEL, type GatewayBridge, type IpcRequest } from '../../common/ipc-api-protocol.ts';
import { apiHarness, TEST_PASSWORD, type ApiHarness } from '../../test/api-harness.ts';
import { databaseBackends } from '../../test/database-backends.ts';
import { ipcLink } from '../../renderer/src/api/ipc-link.ts';
import type { AppRouter } from '../api/app-router.ts';
import { procedure, router } from '../api/trpc.ts';
import { GatewayStartup } from '../gateway/gateway-startup.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin.ts';
import type { IpcApiOptions } from './ipc-api.ts';

const APP_PAGE = APP_ENTRY_URL;

// ── a fake of the parts of Electron the preload and the handler use ──────────────────────────
// The main process's side: one ipcMain for the whole test (taken in beforeAll, before any page
// replaces the mock with its own).
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  return { ipcMain: new Emitter() };
});
let ipcMain: EventEmitter;

let nextWebContentsId = 1;

/** One window: a webContents on the main side, an ipcRenderer and the preload on the page side. */
async function openWindow(frame: { url: string; isMainFrame?: boolean } = { url: APP_PAGE }) {
  const webContents = Object.assign(new EventEmitter(), {
    id: nextWebContentsId++,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send(channel: string, message: unknown) {
      renderer.emit(channel, { sender: 'main' }, message);
    },
  });
  const senderFrame = { url: frame.url, parent: frame.isMainFrame === false ? {} : null };
  const renderer = Object.assign(new EventEmitter(), {
    send(channel: string, message: unknown) {
      // Electron structured-clones IPC messages.
      ipcMain.emit(channel, { sender: webContents, senderFrame }, structuredClone(message));
    },
  });
  // Each page is its own renderer process with its own `electron` module and preload.
  let exposed: GatewayBridge | undefined;
  vi.resetModules();
  vi.doMock('electron', () => ({
    ipcRenderer: renderer,
    contextBridge: {
      exposeInMainWorld: (key: string, api: GatewayBridge) => {
        expect(key).toBe('gatewayApi');
        exposed = api;
      },
    },
  }));
  await import('../../preload/preload.ts');
  const bridge = exposed as unknown as GatewayBridge;
  return {
    bridge,
    webContents,
    api: createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(bridge)] }),
    close() {
      webContents.destroyed = true;
      webContents.emit('destroyed');
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the API over Electron IPC', () => {
  const backend = databaseBackends()[0]!;
  let h: ApiHarness;
  let stop: () => void;
  let registerIpcApi: (options: IpcApiOptions) => () => void;
  let ticksStopped = 0;
  const warnings: string[] = [];

  beforeAll(async () => {
    h = await apiHarness(await backend.open());
    vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
    ipcMain = (await import('electron')).ipcMain as unknown as EventEmitter;
    ({ registerIpcApi } = await import('./ipc-api.ts'));
    stop = registerIpcApi({ gateway: GatewayStartup.running(h.services), appOrigins: [APP_ORIGIN] });
  });
  afterAll(async () => {
    stop?.();
    await h?.close();
  });

  it('serves the typed API to the app’s own window, one connection per window', async () => {
    const first = await openWindow();
    const second = await openWindow();
    expect(await first.api.auth.setupStatus.query()).toEqual({ needsFirstAdmin: true, setupCodeRequired: false });
    await first.api.auth.setup.mutate({ username: 'desk', password: TEST_PASSWORD });
    const device = await first.api.devices.create.mutate({ name: 'PLC', protocol: 'ModbusRtu', endpoint: 'COM3' });
    expect(device.createdAt).toBeInstanceOf(Date);

    // The other window has not signed in.
    const refused = await second.api.devices.list.query().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect((refused as TRPCClientError<AppRouter>).message).toBe('Sign in first.');

    const invalid = (await first.api.devices.create
      .mutate({ name: '', protocol: 'ModbusTcp', endpoint: 'x' })
      .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(invalid.data).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
    const audit = await h.services.audit.query({ actionPrefix: 'devices.create', success: true });
    expect(audit[0]?.details).toMatchObject({ via: 'ipc', username: 'desk' });
    first.close();
    second.close();
  });

  it('refuses a forged sender: another page, an iframe, a malformed message', async () => {
    const usersBefore = await h.services.repos.users.count();
    for (const frame of [
      { url: 'https://evil.example/' },
      { url: 'file:///tmp/downloaded.html' },
      { url: APP_PAGE, isMainFrame: false },
    ]) {
      const forged = await openWindow(frame);
      const replies: unknown[] = [];
      forged.bridge.onMessage((response) => replies.push(response));
      ipcMain.emit(
        API_CHANNEL,
        {
          sender: forged.webContents,
          senderFrame: { url: frame.url, parent: frame.isMainFrame === false ? {} : null },
        },
        {
          id: 1,
          type: 'mutation',
          path: 'users.create',
          input: { json: { username: 'mole', password: TEST_PASSWORD, role: 'ADMIN' } },
        } satisfies IpcRequest,
      );
      await settle();
      expect(replies).toEqual([]);
      forged.close();
    }
    expect(await h.services.repos.users.count()).toBe(usersBefore);
    expect(warnings.filter((w) => w.startsWith('[ipc] refused an API message'))).toHaveLength(3);

    const own = await openWindow();
    ipcMain.emit(API_CHANNEL, { sender: own.webContents, senderFrame: { url: APP_PAGE, parent: null } }, { id: 'x' });
    expect(warnings).toContain('[ipc] refused a malformed API message');
    expect(() => own.bridge.send({ id: -1, type: 'query' } as unknown as IpcRequest)).toThrow('Not an API request');
    own.close();
  });

  it('streams subscriptions and stops them when the page unsubscribes or the window closes', async () => {
    const tickRouter = router({
      ticks: procedure('public').subscription(async function* ({ signal }) {
        try {
          for (let i = 0; !signal?.aborted; i++) {
            yield { tick: i, at: new Date(0) };
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        } finally {
          ticksStopped++;
        }
      }),
    });
    stop();
    stop = registerIpcApi({
      gateway: GatewayStartup.running(h.services),
      appOrigins: [APP_ORIGIN],
      router: tickRouter,
    });
    const window = await openWindow();
    const client = createTRPCClient<typeof tickRouter>({ links: [ipcLink<typeof tickRouter>(window.bridge)] });
    const received: { tick: number; at: Date }[] = [];
    await new Promise<void>((resolve) => {
      const subscription = client.ticks.subscribe(undefined, {
        onData: (value) => {
          received.push(value);
          if (received.length === 3) {
            subscription.unsubscribe();
            resolve();
          }
        },
      });
    });
    await settle();
    expect(received.map((r) => r.tick)).toEqual([0, 1, 2]);
    expect(received[0]?.at).toBeInstanceOf(Date);
    expect(ticksStopped).toBe(1);

    client.ticks.subscribe(undefined, { onData: () => undefined });
    await settle();
    window.close();
    await settle();
    expect(ticksStopped).toBe(2);
  });
});
