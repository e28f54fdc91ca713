import { describe, expect, it } from 'vitest';
import {
  createRestartBudget,
  DEFAULT_RELAUNCH_POLICY,
  RELAUNCH_FLAG,
  relaunchAttempt,
  relaunchDecision,
  rendererGoneAction,
} from './crash-policy.ts';

describe('createRestartBudget', () => {
  it('allows a few restarts in a window, then refuses until the window has passed', () => {
    const budget = createRestartBudget(3, 60_000);
    expect([budget.take(0), budget.take(1_000), budget.take(2_000)]).toEqual([true, true, true]);
    expect(budget.take(3_000)).toBe(false);
    expect(budget.take(59_999)).toBe(false);
    expect(budget.count(59_999)).toBe(3);
    expect(budget.take(60_001)).toBe(true);
    expect(budget.count(60_001)).toBe(3);
  });
});

describe('rendererGoneAction', () => {
  it('reloads a crashed, killed or out-of-memory renderer while the budget lasts, then asks', () => {
    for (const reason of ['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed', 'integrity-failure'] as const) {
      expect(rendererGoneAction(reason, true), reason).toBe('reload');
      expect(rendererGoneAction(reason, false), reason).toBe('ask-user');
    }
  });

  it('does nothing when the renderer simply exited', () => {
    expect(rendererGoneAction('clean-exit', true)).toBe('none');
  });
});

describe('relaunch after a fatal error', () => {
  const argv = ['/opt/Gateway Workstation/gateway-workstation', '--enable-logging'];

  it('relaunches with the attempt counted on the command line', () => {
    expect(relaunchAttempt(argv)).toBe(0);
    expect(relaunchDecision(argv, 1_000)).toEqual({
      relaunch: true,
      attempt: 1,
      args: ['--enable-logging', `${RELAUNCH_FLAG}=1`],
    });
    const second = ['/x/app', '--enable-logging', `${RELAUNCH_FLAG}=1`];
    expect(relaunchAttempt(second)).toBe(1);
    expect(relaunchDecision(second, 1_000)).toEqual({
      relaunch: true,
      attempt: 2,
      args: ['--enable-logging', `${RELAUNCH_FLAG}=2`],
    });
  });

  it('gives up after the last attempt, so a crash at start cannot loop forever', () => {
    const last = ['/x/app', `${RELAUNCH_FLAG}=${DEFAULT_RELAUNCH_POLICY.maxAttempts}`];
    expect(relaunchDecision(last, 1_000)).toEqual({ relaunch: false });
  });

  it('starts the count afresh after a long healthy run', () => {
    const last = ['/x/app', `${RELAUNCH_FLAG}=${DEFAULT_RELAUNCH_POLICY.maxAttempts}`];
    expect(relaunchDecision(last, DEFAULT_RELAUNCH_POLICY.stableAfterMs)).toMatchObject({ relaunch: true, attempt: 1 });
  });

  it('ignores a forged or garbled attempt number', () => {
    expect(relaunchAttempt(['/x/app', `${RELAUNCH_FLAG}=-4`])).toBe(0);
    expect(relaunchAttempt(['/x/app', `${RELAUNCH_FLAG}=lots`])).toBe(0);
  });
});
