// The API over Electron IPC for the desktop window. Every message is checked first: it must come
// from the app's own page in the main frame (ipc-sender-policy.ts) and have the protocol's shape
// (common/ipc-api-protocol.ts); anything else is dropped and logged. Each window (webContents)
// is one API connection: signing in on it makes it that user's, as a WebSocket does in headless
// mode. Calls then run through the same router, checks and audit as every other transport.
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type AnyTRPCRouter,
} from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { API_CHANNEL, isIpcRequest, type IpcRequest, type IpcResponse } from '../../common/ipc-api-protocol.ts';
import { createConnection, type ApiContext } from '../api/api-context.ts';
import { appRouter } from '../api/app-router.ts';
import type { GatewayStartup } from '../gateway/gateway-startup.ts';
import { isAppFrame } from './ipc-sender-policy.ts';

export interface IpcApiOptions {
  /** the gateway, from the first second of its start: calls wait for nothing, they are refused
   * as "still starting" until it runs (trpc.ts), and system.startup reports the progress */
  gateway: GatewayStartup;
  /** the origins of the app's own pages (app-origin.ts); nothing else may call */
  appOrigins: readonly string[];
  /** the router to serve; tests pass a small one */
  router?: AnyTRPCRouter;
}

interface WindowState {
  ctx: ApiContext;
  subscriptions: Map<number, AbortController>;
}

/** Starts answering API messages from the app's windows; returns the function that stops it. */
export function registerIpcApi(options: IpcApiOptions): () => void {
  const router = options.router ?? appRouter;
  const config = router._def._config;
  const windows = new Map<number, WindowState>();

  function stateOf(sender: WebContents): WindowState {
    let state = windows.get(sender.id);
    if (!state) {
      const created: WindowState = {
        ctx: { gateway: options.gateway, connection: createConnection('ipc', { userAgent: 'desktop window' }) },
        subscriptions: new Map(),
      };
      windows.set(sender.id, created);
      sender.once('destroyed', () => {
        for (const controller of created.subscriptions.values()) controller.abort();
        windows.delete(sender.id);
      });
      state = created;
    }
    return state;
  }

  function reply(sender: WebContents, response: IpcResponse): void {
    if (sender.isDestroyed()) return;
    sender.send(API_CHANNEL, transformTRPCResponse(config, response as never));
  }

  async function handle(
    sender: WebContents,
    state: WindowState,
    request: Exclude<IpcRequest, { type: 'subscription.stop' }>,
  ) {
    const { id, type, path } = request;
    const controller = new AbortController();
    if (type === 'subscription') {
      if (state.subscriptions.has(id)) return;
      state.subscriptions.set(id, controller);
    }
    let input: unknown;
    try {
      input = config.transformer.input.deserialize(request.input);
      const result: unknown = await callTRPCProcedure({
        router,
        path,
        getRawInput: async () => input,
        ctx: state.ctx,
        type,
        signal: controller.signal,
        batchIndex: 0,
      });
      if (type !== 'subscription') {
        reply(sender, { id, result: { type: 'data', data: result } });
        return;
      }
      const iterable = isObservable(result)
        ? observableToAsyncIterable(result, controller.signal)
        : (result as AsyncIterable<unknown>);
      reply(sender, { id, result: { type: 'started' } });
      const iterator = iterable[Symbol.asyncIterator]();
      const stopped = new Promise<'stopped'>((resolve) =>
        controller.signal.addEventListener('abort', () => resolve('stopped'), { once: true }),
      );
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next === 'stopped' || next.done) break;
        reply(sender, { id, result: { type: 'data', data: next.value } });
      }
      // A generator stops at its signal; do not wait for one that does not.
      void iterator.return?.()?.catch(() => undefined);
      reply(sender, { id, result: { type: 'stopped' } });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      reply(sender, { id, error: getErrorShape({ config, error, type, path, input, ctx: state.ctx }) });
    } finally {
      if (type === 'subscription') state.subscriptions.delete(id);
    }
  }

  const listener = (event: IpcMainEvent, message: unknown): void => {
    const frame = event.senderFrame;
    const sender = {
      url: frame?.url ?? '',
      isMainFrame: frame !== null && frame !== undefined && frame.parent === null,
    };
    if (!isAppFrame(frame ? sender : null, options.appOrigins)) {
      console.warn(`[ipc] refused an API message from ${sender.url || 'an unknown frame'}`);
      return;
    }
    if (!isIpcRequest(message)) {
      console.warn('[ipc] refused a malformed API message');
      return;
    }
    const state = stateOf(event.sender);
    if (message.type === 'subscription.stop') {
      state.subscriptions.get(message.id)?.abort();
      return;
    }
    void handle(event.sender, state, message);
  };

  ipcMain.on(API_CHANNEL, listener);
  return () => {
    ipcMain.removeListener(API_CHANNEL, listener);
    for (const state of windows.values()) for (const controller of state.subscriptions.values()) controller.abort();
    windows.clear();
  };
}
