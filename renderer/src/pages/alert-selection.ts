// Which open alerts are selected for a bulk action, and how the keyboard moves through them:
// ↑/↓ (Home/End) move between rows, Shift+↑/↓ extend the selection, Ctrl/⌘+A selects every
// row, Escape clears; Space is the focused row checkbox's own. Pure, so the rules are tested without a browser.

export interface SelectionState {
  selected: ReadonlySet<string>;
  /** the row with keyboard focus (an index into the rows), -1 when none */
  focus: number;
}

export interface SelectionKey {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

/** Drops ids of alerts that are no longer listed (resolved, or gone after a reload). */
export function keepListed(selected: ReadonlySet<string>, ids: readonly string[]): ReadonlySet<string> {
  const listed = new Set(ids);
  const kept = [...selected].filter((id) => listed.has(id));
  return kept.length === selected.size ? selected : new Set(kept);
}

export function toggled(selected: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** The state after `key` on the rows `ids`, or undefined when the key is not one of ours. */
export function afterSelectionKey(
  state: SelectionState,
  ids: readonly string[],
  key: SelectionKey,
): SelectionState | undefined {
  if (ids.length === 0) return undefined;
  const last = ids.length - 1;
  const current = Math.min(Math.max(state.focus, 0), last);
  switch (key.key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      const focus = state.focus < 0 ? 0 : Math.min(Math.max(current + (key.key === 'ArrowDown' ? 1 : -1), 0), last);
      if (!key.shiftKey) return { selected: state.selected, focus };
      // Shift extends: the row left and the row reached both end up selected.
      const selected = new Set(state.selected);
      selected.add(ids[current]!);
      selected.add(ids[focus]!);
      return { selected, focus };
    }
    case 'Home':
    case 'End':
      return { selected: state.selected, focus: key.key === 'Home' ? 0 : last };
    case 'a':
    case 'A':
      if (!key.ctrlKey && !key.metaKey) return undefined;
      return { selected: new Set(ids), focus: current };
    case 'Escape':
      return state.selected.size === 0 ? undefined : { selected: new Set(), focus: state.focus };
    default:
      return undefined;
  }
}
