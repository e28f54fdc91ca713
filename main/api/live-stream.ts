// The API's live streams (tags.live, devices.live, system.events): a bus subscription feeding a
// tRPC subscription, opened with a snapshot when there is one, and ended when the client goes
// away or the caller's session ends (signed out on this connection, revoked, expired, idle).
import type { Subscription } from '../bus/subscription.ts';
import { StreamChannel } from '../live/stream-channel.ts';
import type { ResolvedContext } from './api-context.ts';
import { sessionRefusedError } from './trpc.ts';

/** Checks the caller's session every sessionRecheckMs; fails `channel` when it has ended. */
function endWithSession(ctx: ResolvedContext, channel: StreamChannel<unknown>): () => void {
  const token = ctx.connection.sessionToken;
  const { auth } = ctx.services;
  let checking = false;
  const timer = setInterval(
    () => {
      if (checking) return;
      checking = true;
      void (async () => {
        if (!token || ctx.connection.sessionToken !== token) return channel.fail(sessionRefusedError('revoked'));
        // Watching is not activity: an unattended screen still reaches its idle timeout.
        const check = await auth.authenticate(token, { activity: false });
        if (!check.ok) channel.fail(sessionRefusedError(check.reason));
      })()
        .catch(() => undefined) // the database is unreachable: keep streaming, check again later
        .finally(() => (checking = false));
    },
    Math.max(20, auth.settings.sessionRecheckMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Yields `snapshot()` first (when given), then what the subscription opened by `open` pushes.
 * `push` resolves once the item is on its way to the client and the client has room for more: a
 * coalesced subscription waits for it, so a slow client receives fewer, fuller batches.
 */
export async function* liveStream<T>(
  ctx: ResolvedContext,
  signal: AbortSignal | undefined,
  open: (push: (item: T) => Promise<void>) => Subscription,
  snapshot?: () => T | Promise<T>,
): AsyncGenerator<T> {
  const channel = new StreamChannel<T>(signal);
  const stopWatching = endWithSession(ctx, channel as StreamChannel<unknown>);
  let subscription: Subscription | undefined;
  try {
    // A client that does not read its socket holds the batches here (slow-client-guard.ts).
    const outbound = ctx.connection.outbound;
    subscription = open(
      outbound ? (item) => outbound.room().then(() => channel.push(item)) : (item) => channel.push(item),
    );
    if (snapshot) yield await snapshot();
    yield* channel;
  } finally {
    subscription?.unsubscribe();
    stopWatching();
    channel.end();
  }
}
