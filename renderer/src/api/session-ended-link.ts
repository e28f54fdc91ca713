// Tells the UI when a call was refused because the session is gone (expired, revoked, or the
// password changed elsewhere), so that it can ask for the password again over the open screen
// instead of losing it. A refused sign-in is not a session that ended, and neither is the refusal
// of a call sent under an earlier sign-in: a live stream opened before the session was revoked is
// ended by the gateway at its next session check, which may come after the user signed in again.
import type { TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

/**
 * @param onSessionEnded called when a call sent under the current sign-in is refused
 * @param signInCount how many sign-ins this window has seen; it changes with each one
 */
export function sessionEndedLink<TRouter extends AnyTRPCRouter>(
  onSessionEnded: () => void,
  signInCount: () => number,
): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const sentUnder = signInCount();
        return next(op).subscribe({
          next: (envelope) => observer.next(envelope),
          error(error) {
            const data = error.data as { code?: string; reason?: string } | undefined;
            const refused = data?.code === 'UNAUTHORIZED' && data.reason !== 'LOGIN_REFUSED';
            if (refused && !op.path.startsWith('auth.') && signInCount() === sentUnder) onSessionEnded();
            observer.error(error);
          },
          complete: () => observer.complete(),
        });
      });
}
