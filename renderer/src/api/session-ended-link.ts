// Tells the UI when a call was refused because the session is gone (expired, revoked, or the
// password changed elsewhere), so that it can ask for the password again over the open screen
// instead of losing it. A refused sign-in is not a session that ended.
import type { TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

export function sessionEndedLink<TRouter extends AnyTRPCRouter>(onSessionEnded: () => void): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (envelope) => observer.next(envelope),
          error(error) {
            const data = error.data as { code?: string; reason?: string } | undefined;
            if (data?.code === 'UNAUTHORIZED' && data.reason !== 'LOGIN_REFUSED' && !op.path.startsWith('auth.')) {
              onSessionEnded();
            }
            observer.error(error);
          },
          complete: () => observer.complete(),
        }),
      );
}
