import { describe, expect, it } from 'vitest';
import { afterSelectionKey, keepListed, toggled, type SelectionState } from './alert-selection.ts';

const ids = ['a', 'b', 'c', 'd'];
const state = (selected: string[], focus: number): SelectionState => ({ selected: new Set(selected), focus });
const press = (
  from: SelectionState,
  key: string,
  mods: { shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean } = {},
) => afterSelectionKey(from, ids, { key, ...mods });

describe('selecting open alerts', () => {
  it('moves the focus with the arrows, Home and End, staying within the rows', () => {
    expect(press(state([], -1), 'ArrowDown')).toEqual(state([], 0));
    expect(press(state([], 0), 'ArrowDown')).toEqual(state([], 1));
    expect(press(state([], 0), 'ArrowUp')).toEqual(state([], 0));
    expect(press(state([], 3), 'ArrowDown')).toEqual(state([], 3));
    expect(press(state([], 1), 'End')).toEqual(state([], 3));
    expect(press(state([], 3), 'Home')).toEqual(state([], 0));
  });

  it('extends the selection with Shift, selecting the row left and the row reached', () => {
    const once = press(state([], 1), 'ArrowDown', { shiftKey: true })!;
    expect([...once.selected].sort()).toEqual(['b', 'c']);
    const twice = press(once, 'ArrowDown', { shiftKey: true })!;
    expect([...twice.selected].sort()).toEqual(['b', 'c', 'd']);
    expect(twice.focus).toBe(3);
  });

  it('selects every row with Ctrl+A or ⌘+A, and clears with Escape', () => {
    expect([...press(state(['a'], 0), 'a', { ctrlKey: true })!.selected]).toEqual(ids);
    expect([...press(state([], 0), 'A', { metaKey: true })!.selected]).toEqual(ids);
    expect(press(state([], 0), 'a')).toBeUndefined();
    expect(press(state(['a', 'c'], 2), 'Escape')).toEqual(state([], 2));
    expect(press(state([], 2), 'Escape')).toBeUndefined();
  });

  it('leaves other keys and an empty list alone', () => {
    expect(press(state([], 0), 'Enter')).toBeUndefined();
    expect(afterSelectionKey(state([], 0), [], { key: 'ArrowDown' })).toBeUndefined();
  });

  it('toggles a row, and drops rows that are no longer listed (keeping the same set when nothing went)', () => {
    expect([...toggled(new Set(['a']), 'b')]).toEqual(['a', 'b']);
    expect([...toggled(new Set(['a', 'b']), 'a')]).toEqual(['b']);
    const selected = new Set(['a', 'c']);
    expect(keepListed(selected, ids)).toBe(selected);
    expect([...keepListed(selected, ['a', 'b'])]).toEqual(['a']);
  });
});
