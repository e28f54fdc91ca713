// Keeps a browser tab's session token: the answers of auth.login, auth.setup and
// auth.changePassword carry a new token, auth.logout ends it. The WebSocket client passes the
// stored token as a connection parameter, so that a reload or a reconnect stays signed in.
import type { TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

const ISSUES_TOKEN = new Set(['auth.login', 'auth.setup', 'auth.changePassword']);

export function sessionTokenLink<TRouter extends AnyTRPCRouter>(store: TokenStore): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const offered = store.get();
        return next(op).subscribe({
          next(envelope) {
            const data = (envelope.result as { data?: { token?: unknown } }).data;
            if (ISSUES_TOKEN.has(op.path) && typeof data?.token === 'string') store.set(data.token);
            if (op.path === 'auth.logout') store.set(null);
            observer.next(envelope);
          },
          error(error) {
            // A connection whose session ended must not offer the token again; but a call sent
            // before the user signed in again (a stream the gateway ends late) leaves the new one.
            const refused = error.data && (error.data as { code?: string }).code === 'UNAUTHORIZED';
            if (refused && store.get() === offered) store.set(null);
            observer.error(error);
          },
          complete: () => observer.complete(),
        });
      });
}
