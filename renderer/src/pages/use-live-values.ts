// Streams the live values of the given tags (the rows in view and around them) into the live
// value store: a snapshot, then coalesced batches. A new set of tags opens a new stream without
// blanking the rows. When the stream fails (the gateway went away, the call was refused) it says
// so in words and opens it again by itself a little later; after a new sign-in, at once.
import { useEffect, useState } from 'react';
import { apiFailure } from '../api/api-error-text.ts';
import { liveValues } from '../stores/live-values-store.ts';
import { api, useSession } from '../stores/session-store.ts';

export type LiveState =
  { kind: 'connecting' } | { kind: 'live' } | { kind: 'offline' } | { kind: 'failed'; message: string };

const RETRY_MS = 3_000;
/** a batch at most twice a second: a person reads no faster, and the grid stays calm */
const INTERVAL_MS = 500;

export function useLiveValues(tagIds: readonly string[]): LiveState {
  const [state, setState] = useState<LiveState>({ kind: 'connecting' });
  const offline = useSession((session) => session.offline);
  const signIns = useSession((session) => session.signIns);
  const key = tagIds.join(',');

  useEffect(() => {
    if (tagIds.length === 0) return undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    const open = () => {
      // scrolling on while live opens a new stream: still live, nothing to re-render for it
      setState((previous) => (previous.kind === 'live' ? previous : { kind: 'connecting' }));
      subscription = api.tags.live.subscribe(
        { tagIds: [...tagIds], intervalMs: INTERVAL_MS },
        {
          onData(message) {
            if (message.kind === 'snapshot') liveValues.reset(message.values);
            else liveValues.apply(message.values);
            setState((previous) => (previous.kind === 'live' ? previous : { kind: 'live' }));
          },
          onError(error) {
            if (ended) return;
            setState({ kind: 'failed', message: apiFailure(error).message });
            retry = setTimeout(open, RETRY_MS);
          },
        },
      );
    };
    open();
    return () => {
      ended = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
    };
  }, [key, signIns]); // the tag list (as text) and the sign-in are the stream's identity

  return offline ? { kind: 'offline' } : state;
}
