// What the shell does when part of the app dies, built so that it can never loop forever:
//  * the window's renderer process gone → reload the window (the gateway keeps running and
//    recording meanwhile), at most `maxRestarts` times within `windowMs`; past that, ask the user;
//  * the main process hit an uncaught exception → shut down cleanly and relaunch, unless the
//    previous launches already failed that way in quick succession (counted across processes by
//    a command-line flag the relaunch carries).
import type { RenderProcessGoneDetails } from 'electron';

export interface RestartBudget {
  /** Records one restart now; false when the budget is spent (too many in the window). */
  take(now: number): boolean;
  /** restarts recorded within the window ending now */
  count(now: number): number;
}

export function createRestartBudget(maxRestarts: number, windowMs: number): RestartBudget {
  const times: number[] = [];
  const prune = (now: number) => {
    while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
  };
  return {
    take(now) {
      prune(now);
      if (times.length >= maxRestarts) return false;
      times.push(now);
      return true;
    },
    count(now) {
      prune(now);
      return times.length;
    },
  };
}

export type RendererGoneAction = 'none' | 'reload' | 'ask-user';

export function rendererGoneAction(
  reason: RenderProcessGoneDetails['reason'],
  budgetLeft: boolean,
): RendererGoneAction {
  // A clean exit is the window closing, not a failure.
  if (reason === 'clean-exit') return 'none';
  return budgetLeft ? 'reload' : 'ask-user';
}

export const RELAUNCH_FLAG = '--relaunch-attempt';

/** The attempt number a relaunched process was started with (0 for a normal start). */
export function relaunchAttempt(argv: readonly string[]): number {
  for (const arg of argv) {
    if (arg.startsWith(`${RELAUNCH_FLAG}=`)) {
      const n = Number(arg.slice(RELAUNCH_FLAG.length + 1));
      return Number.isInteger(n) && n > 0 ? n : 0;
    }
  }
  return 0;
}

export interface RelaunchPolicy {
  /** relaunches in a row before giving up */
  maxAttempts: number;
  /** a process that ran this long was healthy: its crash starts the count afresh */
  stableAfterMs: number;
}

export const DEFAULT_RELAUNCH_POLICY: RelaunchPolicy = { maxAttempts: 3, stableAfterMs: 5 * 60_000 };

/**
 * Whether to relaunch after a fatal error, and the argv to relaunch with (argv without the
 * executable, as app.relaunch wants it).
 */
export function relaunchDecision(
  argv: readonly string[],
  uptimeMs: number,
  policy: RelaunchPolicy = DEFAULT_RELAUNCH_POLICY,
): { relaunch: false } | { relaunch: true; attempt: number; args: string[] } {
  const previous = uptimeMs >= policy.stableAfterMs ? 0 : relaunchAttempt(argv);
  const attempt = previous + 1;
  if (attempt > policy.maxAttempts) return { relaunch: false };
  const args = argv.slice(1).filter((arg) => !arg.startsWith(`${RELAUNCH_FLAG}=`));
  return { relaunch: true, attempt, args: [...args, `${RELAUNCH_FLAG}=${attempt}`] };
}
