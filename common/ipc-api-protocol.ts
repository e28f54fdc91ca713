// The desktop window's API messages over Electron IPC: the preload forwards them on one channel,
// the main process (main/electron/ipc-api.ts) answers. The shape follows tRPC's own WebSocket
// messages; inputs and results travel superjson-serialized, as over the WebSocket.

export const API_CHANNEL = 'gateway-api';

export type IpcOperationType = 'query' | 'mutation' | 'subscription';

export type IpcRequest =
  | { id: number; type: IpcOperationType; path: string; input: unknown }
  /** ends a subscription */
  | { id: number; type: 'subscription.stop' };

export type IpcResponse =
  | { id: number; result: { type: 'data'; data: unknown } | { type: 'started' } | { type: 'stopped' } }
  | { id: number; error: unknown };

/** What the preload exposes as window.gatewayApi: one way in, one way out, nothing else. */
export interface GatewayBridge {
  send(request: IpcRequest): void;
  /** returns the function that stops listening */
  onMessage(listener: (response: IpcResponse) => void): () => void;
}

const TYPES = new Set(['query', 'mutation', 'subscription', 'subscription.stop']);

/** Checks a message's shape before it crosses a process boundary (either side of it). */
export function isIpcRequest(message: unknown): message is IpcRequest {
  if (typeof message !== 'object' || message === null) return false;
  const { id, type, path } = message as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || (id as number) < 0 || typeof type !== 'string' || !TYPES.has(type)) return false;
  return type === 'subscription.stop' || (typeof path === 'string' && path.length > 0 && path.length <= 200);
}
