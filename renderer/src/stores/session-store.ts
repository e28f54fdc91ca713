// Who is signed in, and the one API client every screen uses. A session that ends while a screen
// is open (expired, revoked) keeps the screen and its half-filled forms mounted and asks for the
// password over them; signing in again as the same user carries on where they were.
import { create } from 'zustand';
import { createApiClient, type ApiClient, type ApiOutputs } from '../api/api-client.ts';

export type Session = NonNullable<ApiOutputs['auth']['session']>;

export type AccessState =
  | { kind: 'connecting' }
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
  start(): Promise<void>;
  adopt(session: Session): void;
  signOut(): Promise<void>;
}

export const useSession = create<SessionState>()((set, get) => ({
  access: { kind: 'connecting' },
  expired: false,
  offline: false,
  async start() {
    try {
      const [status, session] = await Promise.all([api.auth.setupStatus.query(), api.auth.session.query()]);
      if (status.needsFirstAdmin) set({ access: { kind: 'first-start', setupCodeRequired: status.setupCodeRequired } });
      else if (session) set({ access: { kind: 'signed-in', session } });
      else set({ access: { kind: 'signed-out' } });
    } catch (error) {
      set({ access: { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) } });
    }
  },
  adopt(session) {
    const before = get().access;
    // Someone else signing in over an expired session must not see the previous user's screen.
    if (before.kind === 'signed-in' && before.session.user.id !== session.user.id) location.hash = '#/overview';
    set({ access: { kind: 'signed-in', session }, expired: false });
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
});

/** The signed-in user (the app shell renders screens only while someone is signed in). */
export function useSignedInUser(): Session['user'] {
  const access = useSession((state) => state.access);
  if (access.kind !== 'signed-in') throw new Error('No user is signed in');
  return access.session.user;
}
