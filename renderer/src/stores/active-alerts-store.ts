// The alerts that are open now (alerts.active), kept current by the alert EventFrames of
// system.events instead of polling: each batch of alert events reloads the list (the engine
// answers from memory), and so does a stream that (re)starts, because events sent while the
// connection was down are not replayed. The bell and the Alerts screen share this one list and
// one stream; each CRITICAL or FATAL alert that fires while someone watches is announced once.
// A new sign-in reopens the stream at once: the old one would be refused at its next session check.
import { create } from 'zustand';
import type { AlertLevel } from '../../../common/enums.ts';
import type { EventView } from '../../../main/live/frame-views.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure, type ApiFailure } from '../api/api-error-text.ts';
import { api, useSession } from './session-store.ts';

export type ActiveAlert = ApiOutputs['alerts']['active'][number];
type AlertEvent = Extract<EventView, { kind: 'alert' }>;

export interface AlertAnnouncement {
  id: string;
  level: AlertLevel;
  message: string;
}

const ANNOUNCED_LEVELS = new Set<string>(['CRITICAL', 'FATAL']);
/** a stream that failed (not for a lost connection: the client reconnects by itself) retries */
const RESUBSCRIBE_MS = 5_000;

interface ActiveAlertsState {
  alerts: ActiveAlert[] | undefined;
  loading: boolean;
  failure: ApiFailure | null;
  /** the live stream stopped with an error and is being restarted: the list may be old */
  streamFailure: ApiFailure | null;
  /** the newest CRITICAL or FATAL alert that fired while watching, until dismissed */
  announcement: AlertAnnouncement | null;
  /** counts batches of alert events: a screen showing alert history reloads when it changes */
  changes: number;
  reload(): void;
  dismiss(): void;
}

export const useActiveAlerts = create<ActiveAlertsState>()((set) => ({
  alerts: undefined,
  loading: false,
  failure: null,
  streamFailure: null,
  announcement: null,
  changes: 0,
  reload: () => void watcher?.reload(),
  dismiss: () => set({ announcement: null }),
}));

/** One stream and one list for however many screens watch; started by the first, ended by the last. */
class ActiveAlertsWatcher {
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private unwatchSignIns: (() => void) | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** ids of the alerts already seen: everything open at the first load, then each announced one */
  private seen: Set<string> | undefined;
  private loading: Promise<void> | undefined;
  private reloadAgain = false;

  start(): void {
    this.subscribe();
    this.reload();
    this.unwatchSignIns = useSession.subscribe((state, previous) => {
      if (state.signIns === previous.signIns) return;
      clearTimeout(this.retry);
      this.unsubscribe?.();
      this.subscribe();
      this.reload();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.unsubscribe?.();
    this.unwatchSignIns?.();
  }

  /** Reloads the list; a reload asked for while one is under way runs once after it. */
  reload(): void {
    if (this.loading) {
      this.reloadAgain = true;
      return;
    }
    useActiveAlerts.setState({ loading: true });
    this.loading = api.alerts.active
      .query()
      .then((alerts) => {
        if (this.stopped) return;
        this.remember(alerts);
        useActiveAlerts.setState({ alerts, failure: null });
      })
      .catch((error: unknown) => {
        if (!this.stopped) useActiveAlerts.setState({ failure: apiFailure(error) });
      })
      .finally(() => {
        this.loading = undefined;
        if (!this.stopped) useActiveAlerts.setState({ loading: false });
        if (this.reloadAgain && !this.stopped) {
          this.reloadAgain = false;
          this.reload();
        }
      });
  }

  private subscribe(): void {
    const subscription = api.system.events.subscribe(
      { kinds: ['alert'] },
      {
        onStarted: () => {
          useActiveAlerts.setState({ streamFailure: null });
          // after a reconnection: what changed meanwhile came as no event
          if (this.seen) this.reload();
        },
        onData: ({ events }) => {
          this.announce(events.filter((event): event is AlertEvent => event.kind === 'alert'));
          useActiveAlerts.setState((state) => ({ changes: state.changes + 1 }));
          this.reload();
        },
        onError: (error) => {
          if (this.stopped) return;
          useActiveAlerts.setState({ streamFailure: apiFailure(error) });
          this.retry = setTimeout(() => {
            if (this.stopped) return;
            this.subscribe();
            this.reload();
          }, RESUBSCRIBE_MS);
        },
      },
    );
    this.unsubscribe = () => subscription.unsubscribe();
  }

  /** The first answer is what was open before anyone watched: no notice for those. */
  private remember(alerts: readonly ActiveAlert[]): void {
    if (this.seen) return;
    this.seen = new Set(alerts.map((alert) => alert.id));
  }

  private announce(events: readonly AlertEvent[]): void {
    if (!this.seen) return;
    for (const { alert } of events) {
      // An alert that fires is ACTIVE; ACTIVE again after a shelving is no new alert.
      if (alert.status !== 'ACTIVE' || !ANNOUNCED_LEVELS.has(alert.level) || this.seen.has(alert.alertId)) continue;
      this.seen.add(alert.alertId);
      useActiveAlerts.setState({
        announcement: { id: alert.alertId, level: alert.level as AlertLevel, message: alert.message },
      });
      announcementListeners.forEach((listener) => listener());
    }
  }
}

let watcher: ActiveAlertsWatcher | undefined;
let watchers = 0;
const announcementListeners = new Set<() => void>();

/**
 * Keeps the shared list live while the caller is mounted (call it from an effect and return what
 * it returns); `onAnnouncement` hears each new CRITICAL or FATAL alert (the tone).
 */
export function watchActiveAlerts(onAnnouncement?: () => void): () => void {
  if (onAnnouncement) announcementListeners.add(onAnnouncement);
  if (watchers++ === 0) {
    watcher = new ActiveAlertsWatcher();
    watcher.start();
  }
  return () => {
    if (onAnnouncement) announcementListeners.delete(onAnnouncement);
    if (--watchers > 0) return;
    watcher?.stop();
    watcher = undefined;
    useActiveAlerts.setState({ alerts: undefined, failure: null, streamFailure: null, announcement: null });
  };
}
