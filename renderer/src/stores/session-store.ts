// Who is signed in, and the one API client every screen uses. A session that ends while a screen
// is open (expired, revoked) keeps the screen and its half-filled forms mounted and asks for the
// password over them; signing in again as the same user carries on where they were.
//
// The page may open while the gateway is still starting (its HTTP server and the desktop window
// come first): the store follows system.startup, shows the sign-in form with the start's progress,
// and a sign-in sent meanwhile waits for the gateway (gatewayReady) before it goes out. In a
// browser the start's state is read over plain HTTP too (startupOverHttp): the WebSocket's first
// answer waits for the API's modules to load on the server, the form need not.
import { create } from 'zustand';
import { STARTUP_PATH } from '../../../common/startup-endpoint.ts';
import type { StartupState } from '../../../main/gateway/gateway-startup.ts';
import { createApiClient, type ApiClient, type ApiOutputs } from '../api/api-client.ts';

export type Session = NonNullable<ApiOutputs['auth']['session']>;

export type StartProgress = Extract<StartupState, { phase: 'starting' }>;

export type AccessState =
  | { kind: 'connecting' }
  | { kind: 'starting'; progress: StartProgress }
  | { kind: 'start-failed'; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'first-start'; setupCodeRequired: boolean }
  | { kind: 'signed-out' }
  | { kind: 'signed-in'; session: Session };

interface SessionState {
  access: AccessState;
  /** the session ended while signed in: the sign-in dialog shows over the open screen */
  expired: boolean;
  /** the WebSocket to the gateway is down and reconnecting */
  offline: boolean;
  /**
   * Counts the sign-ins of this window. Live streams reopen when it changes (a stream opened
   * before the session ended would be refused at its next session check), and the refusal of a
   * call sent before the latest sign-in does not end the new session.
   */
  signIns: number;
  start(): Promise<void>;
  adopt(session: Session): void;
  signOut(): Promise<void>;
}

/** Thrown by gatewayReady() when the gateway's start failed; `message` says why. */
export class GatewayStartFailed extends Error {}

let started: Promise<void> | undefined;
let ready: Promise<void> | undefined;

/**
 * Resolves once the gateway runs (at once when it already does); rejects with GatewayStartFailed
 * when its start failed. Follows system.startup, which the gateway answers from its first second.
 */
export function gatewayReady(): Promise<void> {
  ready ??= new Promise<void>((resolve, reject) => {
    const subscription = api.system.startup.subscribe(undefined, {
      onData(state) {
        if (state.phase === 'starting') {
          const { access } = useSession.getState();
          if (access.kind === 'connecting' || access.kind === 'starting') {
            useSession.setState({ access: { kind: 'starting', progress: state } });
          }
          return;
        }
        subscription.unsubscribe();
        if (state.phase === 'ready') resolve();
        else reject(new GatewayStartFailed(state.message));
      },
      onError(error) {
        ready = undefined; // asked again, on a connection that works, by the next caller
        reject(error);
      },
    });
  });
  return ready;
}

/**
 * The start's state from the headless server over HTTP, shown while the WebSocket still connects;
 * nothing in the desktop window (its API answers at once over IPC) or when the request fails (the
 * WebSocket's answer, or its error, follows anyway).
 */
async function startupOverHttp(): Promise<void> {
  if ((window as { gatewayApi?: unknown }).gatewayApi) return;
  let state: StartupState;
  try {
    // the same request as the page's preload (static-files.ts), so it is answered by that one
    const response = await fetch(STARTUP_PATH);
    if (!response.ok) return;
    state = (await response.json()) as StartupState;
  } catch {
    return;
  }
  if (useSession.getState().access.kind !== 'connecting') return;
  if (state.phase === 'starting') useSession.setState({ access: { kind: 'starting', progress: state } });
  else if (state.phase === 'failed') useSession.setState({ access: { kind: 'start-failed', message: state.message } });
}

export const useSession = create<SessionState>()((set, get) => ({
  access: { kind: 'connecting' },
  expired: false,
  offline: false,
  signIns: 0,
  start() {
    started ??= (async () => {
      void startupOverHttp();
      try {
        await gatewayReady();
        const [status, session] = await Promise.all([api.auth.setupStatus.query(), api.auth.session.query()]);
        // A sign-in sent while the gateway started may have landed first: it wins.
        if (get().access.kind === 'signed-in') return;
        if (status.needsFirstAdmin) {
          set({ access: { kind: 'first-start', setupCodeRequired: status.setupCodeRequired } });
        } else if (session) set({ access: { kind: 'signed-in', session } });
        else set({ access: { kind: 'signed-out' } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof GatewayStartFailed) set({ access: { kind: 'start-failed', message } });
        else set({ access: { kind: 'unreachable', message } });
      } finally {
        started = undefined;
      }
    })();
    return started;
  },
  adopt(session) {
    const before = get().access;
    // Someone else signing in over an expired session must not see the previous user's screen.
    if (before.kind === 'signed-in' && before.session.user.id !== session.user.id) location.hash = '#/overview';
    set({ access: { kind: 'signed-in', session }, expired: false, signIns: get().signIns + 1 });
  },
  async signOut() {
    try {
      await api.auth.logout.mutate();
    } finally {
      set({ access: { kind: 'signed-out' }, expired: false });
    }
  },
}));

// Created after the store: the connection state reports at once, into the store.
export const api: ApiClient = createApiClient({
  onSessionEnded: () => {
    if (useSession.getState().access.kind === 'signed-in') useSession.setState({ expired: true });
  },
  onConnectionLost: (lost) => useSession.setState({ offline: lost }),
  signInCount: () => useSession.getState().signIns,
});

/** The signed-in user (the app shell renders screens only while someone is signed in). */
export function useSignedInUser(): Session['user'] {
  const access = useSession((state) => state.access);
  if (access.kind !== 'signed-in') throw new Error('No user is signed in');
  return access.session.user;
}
