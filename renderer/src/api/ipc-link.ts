// A tRPC link over the desktop window's IPC bridge (window.gatewayApi, see preload/preload.ts),
// written on tRPC's public link API: electron-trpc supports only tRPC 10. Queries, mutations and
// subscriptions, with superjson as on the WebSocket.
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable, type Observer } from '@trpc/server/observable';
import superjson from 'superjson';
import type { GatewayBridge, IpcResponse } from '../../../common/ipc-api-protocol.ts';

interface Pending {
  type: 'query' | 'mutation' | 'subscription';
  observer: Observer<{ result: { type: 'data'; data: unknown } | { type: 'started' } }, TRPCClientError<AnyTRPCRouter>>;
}

export function ipcLink<TRouter extends AnyTRPCRouter>(bridge: GatewayBridge): TRPCLink<TRouter> {
  let nextId = 1;
  const pending = new Map<number, Pending>();

  bridge.onMessage((response: IpcResponse) => {
    const call = pending.get(response.id);
    if (!call) return; // a call that was cancelled meanwhile
    if ('error' in response) {
      pending.delete(response.id);
      call.observer.error(TRPCClientError.from({ error: superjson.deserialize(response.error as never) }));
      return;
    }
    const { result } = response;
    if (result.type === 'stopped') {
      pending.delete(response.id);
      call.observer.complete();
    } else if (result.type === 'started') {
      call.observer.next({ result: { type: 'started' } });
    } else {
      call.observer.next({ result: { type: 'data', data: superjson.deserialize(result.data as never) } });
      if (call.type !== 'subscription') {
        pending.delete(response.id);
        call.observer.complete();
      }
    }
  });

  return () =>
    ({ op }) =>
      observable((observer) => {
        const id = nextId++;
        pending.set(id, { type: op.type, observer: observer as Pending['observer'] });
        bridge.send({ id, type: op.type, path: op.path, input: superjson.serialize(op.input) });
        return () => {
          if (!pending.delete(id)) return;
          if (op.type === 'subscription') bridge.send({ id, type: 'subscription.stop' });
        };
      });
}
