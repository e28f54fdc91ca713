// @vitest-environment jsdom
// The tag grid with 10,000 tags: only the rows in view are in the page, it says which rows those
// are (the tag browser streams live values for them alone), a live value reaches its row and is
// marked as changed, and the write button opens the write dialog without selecting the row. jsdom
// lays nothing out: the scroller and its rows get the sizes a browser would give them.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TagValueView } from '../../../common/live-values-message.ts';
import { startI18n } from '../i18n/i18n.ts';
import { stubLayout } from '../test-support/jsdom-layout.ts';
import { CHANGED_MARK_MS, liveValues } from '../stores/live-values-store.ts';
import { TagGrid, type TagRow } from './tag-grid.tsx';

const GRID_HEIGHT = 640;
const ROW_HEIGHT = 32;
const TAGS = 10_000;

function tagRow(i: number): TagRow {
  const name = `tag_${String(i).padStart(5, '0')}`;
  return {
    id: `id-${i}`,
    deviceId: 'device-1',
    name,
    description: null,
    address: String(40001 + i),
    dataType: 'UInt16',
    accessType: i % 2 === 0 ? 'ReadWrite' : 'Read',
    unit: 'kPa',
    scaling: 1,
    tagOffset: 0,
    minValue: null,
    maxValue: null,
    deadband: null,
    scanRate: null,
    enabled: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

const ROWS = Array.from({ length: TAGS }, (_, i) => tagRow(i));
const DEVICE_NAMES = new Map([['device-1', 'Bench']]);

function value(i: number, v: number, sequenceId: number): TagValueView {
  return {
    tagId: `id-${i}`,
    deviceId: 'device-1',
    value: v,
    quality: 'Good',
    reason: null,
    errorCode: 0,
    sourceTime: Date.now(),
    sequenceId,
  };
}

let restoreLayout: () => void;
beforeAll(() => {
  startI18n('en');
  restoreLayout = stubLayout({
    clientHeight: GRID_HEIGHT,
    clientWidth: 1000,
    offsetHeight: GRID_HEIGHT,
    offsetWidth: 1000,
    scrollHeight: TAGS * ROW_HEIGHT,
  });
});
afterAll(() => restoreLayout());
afterEach(() => {
  cleanup();
  liveValues.reset([]);
});

function renderGrid(props: Partial<Parameters<typeof TagGrid>[0]> = {}) {
  const handlers = { onToggle: vi.fn(), onOpen: vi.fn(), onWrite: vi.fn(), onViewChange: vi.fn() };
  render(<TagGrid rows={ROWS} deviceNames={DEVICE_NAMES} selected={new Set()} {...handlers} {...props} />);
  return handlers;
}

describe('TagGrid', () => {
  it('puts only the rows in view of 10,000 tags in the page and reports them as they scroll', async () => {
    const { onViewChange } = renderGrid();
    const rows = screen.getAllByTestId('tag-row');
    expect(rows.length).toBeGreaterThanOrEqual(GRID_HEIGHT / ROW_HEIGHT);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.textContent).toContain('tag_00000');
    expect(onViewChange).toHaveBeenLastCalledWith(0, rows.length - 1);

    const scroller = screen.getByTestId('tag-grid-scroller');
    await act(async () => {
      scroller.scrollTop = 5_000 * ROW_HEIGHT;
      scroller.dispatchEvent(new Event('scroll'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(screen.getAllByTestId('tag-row')[0]!.textContent).not.toContain('tag_00000');
    expect(screen.getByText('tag_05000')).toBeTruthy();
    const [first, last] = onViewChange.mock.lastCall as [number, number];
    expect(first).toBeLessThanOrEqual(5_000);
    expect(last).toBeGreaterThanOrEqual(5_000 + GRID_HEIGHT / ROW_HEIGHT - 1);
    expect(last - first).toBeLessThan(40);
  });

  it('reuses the row elements, in place, for the rows scrolling in, dropping a focus on a row that left', async () => {
    renderGrid();
    const before = screen.getAllByTestId('tag-row');
    const focused = screen.getByText('tag_00000').closest<HTMLElement>('[data-testid="tag-row"]')!;
    focused.focus();
    const scroller = screen.getByTestId('tag-grid-scroller');
    await act(async () => {
      scroller.scrollTop = 200 * ROW_HEIGHT;
      scroller.dispatchEvent(new Event('scroll'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const after = screen.getAllByTestId('tag-row');
    expect(after.map((row) => row.textContent)).toContainEqual(expect.stringContaining('tag_00200'));
    // the same elements in the same order: none was moved (a moved element is styled afresh)
    expect(after).toHaveLength(before.length);
    expect(after.every((row, i) => row === before[i])).toBe(true);
    expect(document.activeElement).not.toBe(focused);
  });

  it('gives a cell its tooltip when the pointer comes over it, the one of the row it shows now', async () => {
    renderGrid();
    const cell = screen.getByText('tag_00001');
    expect(cell.getAttribute('title')).toBeNull(); // none until it is needed
    fireEvent.mouseOver(cell);
    expect(cell.title).toBe('tag_00001');
    const scroller = screen.getByTestId('tag-grid-scroller');
    await act(async () => {
      scroller.scrollTop = 200 * ROW_HEIGHT;
      scroller.dispatchEvent(new Event('scroll'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(cell.textContent).not.toBe('tag_00001'); // the element now shows another row
    fireEvent.mouseOver(cell);
    expect(cell.title).toBe(cell.textContent);
  });

  it('shows a live value in its row, marked as changed when it changes', () => {
    renderGrid();
    const valueOf = (name: string) =>
      screen.getByText(name).closest('[data-testid="tag-row"]')!.querySelector('[data-testid="tag-value"]')!;
    expect(valueOf('tag_00003').textContent).toBe('—');
    act(() => liveValues.reset([value(3, 17, 1)]));
    expect(valueOf('tag_00003').textContent).toBe('17');
    expect(valueOf('tag_00003').querySelector('.changed')).toBeNull(); // a first snapshot is no change
    act(() => liveValues.apply([value(3, 18, 2)]));
    expect(valueOf('tag_00003').textContent).toBe('18');
    expect(valueOf('tag_00003').querySelector('.changed')).not.toBeNull();
    expect(valueOf('tag_00004').textContent).toBe('—');
  });

  it('fades the mark out when it ends, but not on a row element taken over by another tag', async () => {
    vi.useFakeTimers();
    try {
      renderGrid();
      const spanOf = (name: string) =>
        screen.getByText(name).closest('[data-testid="tag-row"]')!.querySelector('[data-testid="tag-value"] > span')!;
      act(() => liveValues.reset([value(3, 17, 1), value(4, 17, 2)]));
      act(() => liveValues.apply([value(3, 18, 3), value(4, 18, 4)]));
      act(() => vi.advanceTimersByTime(CHANGED_MARK_MS));
      expect(spanOf('tag_00003').className).toBe('fading');
      act(() => liveValues.apply([value(4, 19, 5)]));
      const span = spanOf('tag_00004');
      expect(span.className).toBe('changed');
      const scroller = screen.getByTestId('tag-grid-scroller');
      act(() => {
        scroller.scrollTop = 200 * ROW_HEIGHT;
        scroller.dispatchEvent(new Event('scroll'));
        vi.advanceTimersByTime(20);
      });
      expect(span.textContent).toBe('—'); // the same element, now another tag's (no value yet)
      expect(span.className).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers the write button on writable rows only; it opens the dialog without selecting', () => {
    const { onWrite, onToggle, onOpen } = renderGrid();
    const buttons = screen.getAllByRole('button', { name: /^Write tag_/ });
    expect(buttons[0]!.getAttribute('aria-label')).toContain('tag_00000');
    expect(screen.queryByRole('button', { name: /tag_00001/ })).toBeNull();
    fireEvent.click(buttons[0]!);
    expect(onWrite).toHaveBeenCalledWith(ROWS[0]);
    expect(onToggle).not.toHaveBeenCalled();
    fireEvent.keyDown(buttons[0]!, { key: 'Enter' });
    expect(onOpen).not.toHaveBeenCalled(); // the button's own Enter, not the row's
    fireEvent.keyDown(screen.getByText('tag_00001').closest('[data-testid="tag-row"]')!, { key: ' ' });
    expect(onToggle).toHaveBeenCalledWith('id-1');
  });

  it('offers no write button when the role may not write', () => {
    renderGrid({ onWrite: undefined });
    expect(screen.queryAllByTestId('write-tag')).toHaveLength(0);
  });
});
