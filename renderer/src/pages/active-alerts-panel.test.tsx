// @vitest-environment jsdom
// The active alerts list in an alert storm: of 5,000 open alerts only the rows in view are in the
// page, most severe and newest first, and the keyboard still reaches the last of them (the row is
// brought into the page and its checkbox takes the focus). jsdom lays nothing out: the list's box
// and its rows get the sizes a browser would give them.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startI18n } from '../i18n/i18n.ts';
import { stubLayout } from '../test-support/jsdom-layout.ts';
import type { ActiveAlert } from '../stores/active-alerts-store.ts';
import { ActiveAlertsPanel } from './active-alerts-panel.tsx';

const open = vi.hoisted(() => ({ alerts: [] as unknown[] }));
vi.mock('../stores/active-alerts-store.ts', () => ({
  useActiveAlerts: () => ({ alerts: open.alerts, failure: null, streamFailure: null, reload: () => undefined }),
  watchActiveAlerts: () => () => undefined,
}));
vi.mock('../stores/session-store.ts', () => ({
  api: {},
  useSession: (select: (state: { offline: boolean }) => unknown) => select({ offline: false }),
  useSignedInUser: () => ({ username: 'olga', role: 'OPERATOR' }),
}));

const LIST_HEIGHT = 600;
const ROW_HEIGHT = 53;
const STORM = 5_000;
const LEVELS = ['INFO', 'WARNING', 'CRITICAL', 'FATAL'] as const;

function alert(i: number): ActiveAlert {
  return {
    id: `alert-${i}`,
    kind: 'value',
    ruleId: `rule-${i}`,
    ruleName: `Rule ${i}`,
    deviceId: null,
    tagId: null,
    level: LEVELS[i % LEVELS.length]!,
    status: 'ACTIVE',
    firedAt: new Date(Date.UTC(2026, 10, 26, 8, 0, 0) + i * 1000),
    message: `Storm alert ${i}`,
    triggeredValue: i,
    thresholdValue: 0,
    acknowledgedBy: null,
    acknowledgedAt: null,
    shelvedUntil: null,
    shelvedBy: null,
    conditionHolds: true,
  };
}

let restoreLayout: () => void;
beforeAll(() => {
  startI18n('en');
  // the scroller is LIST_HEIGHT high, each row ROW_HEIGHT (the header too)
  restoreLayout = stubLayout({
    clientHeight: LIST_HEIGHT,
    clientWidth: 1000,
    offsetHeight: ROW_HEIGHT,
    scrollHeight: (STORM + 1) * ROW_HEIGHT,
  });
});
afterAll(() => restoreLayout());
afterEach(cleanup);

describe('ActiveAlertsPanel', () => {
  it('puts only the rows in view of an alert storm in the page, most severe and newest first', () => {
    open.alerts = Array.from({ length: STORM }, (_, i) => alert(i));
    render(<ActiveAlertsPanel deviceNames={new Map()} />);
    const rows = screen.getAllByTestId('alert-row');
    expect(rows.length).toBeGreaterThan(LIST_HEIGHT / ROW_HEIGHT);
    expect(rows.length).toBeLessThan(40);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe(String(STORM + 1));
    // the newest FATAL alert is the last of the storm with i % 4 === 3
    expect(rows[0]!.textContent).toContain('Storm alert 4999');
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2');
    expect(rows[1]!.textContent).toContain('Storm alert 4995');
    // Select all reaches every alert, not only those in the page
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(screen.getByRole('button', { name: `Acknowledge ${STORM}` })).toBeTruthy();
  });

  it('brings the row the keyboard moves to into the page and focuses it', async () => {
    open.alerts = Array.from({ length: STORM }, (_, i) => alert(i));
    render(<ActiveAlertsPanel deviceNames={new Map()} />);
    const first = screen.getByRole('checkbox', { name: /^Select “Storm alert 4999/ });
    first.focus();
    await act(async () => {
      fireEvent.keyDown(first, { key: 'End' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    // the oldest INFO alert is last
    const last = screen.getByRole('checkbox', { name: /^Select “Storm alert 0”/ });
    expect(document.activeElement).toBe(last);
    expect(last.closest('tr')!.getAttribute('aria-rowindex')).toBe(String(STORM + 1));
    expect(screen.queryByText('Storm alert 4999')).toBeNull();
  });
});
