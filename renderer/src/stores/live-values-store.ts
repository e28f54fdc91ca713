// The latest value of every tag the tag browser streams (the rows in view and around them), keyed
// by tag id. A batch of changes wakes only the rows showing those tags (each row listens to its
// own tag), so a batch never re-renders the whole grid.
import { useCallback, useSyncExternalStore } from 'react';
import type { TagValueView } from '../../../common/live-values-message.ts';

/** how long a changed value stays marked (the mark then fades out) */
export const CHANGED_MARK_MS = 2_000;

export interface LiveValue {
  view: TagValueView;
  /** when the value last changed (ms, the renderer's clock); 0 when not seen to change */
  changedAt: number;
  /** changed within CHANGED_MARK_MS: the "changed recently" mark */
  marked: boolean;
}

function sameValue(a: TagValueView['value'], b: TagValueView['value']): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** A new value or quality (a new timestamp of the same value is not a change). */
function isChange(held: TagValueView, next: TagValueView): boolean {
  return !sameValue(held.value, next.value) || held.quality !== next.quality;
}

export class LiveValueStore {
  private readonly values = new Map<string, LiveValue>();
  private readonly listeners = new Map<string, Set<() => void>>();

  get(tagId: string): LiveValue | undefined {
    return this.values.get(tagId);
  }

  get size(): number {
    return this.values.size;
  }

  /**
   * Replaces everything with a snapshot (a new stream, e.g. for the rows now in view): a tag not
   * held before does not count as changed; one held before keeps its mark, or is marked now when
   * its value moved on while no stream carried it.
   */
  reset(views: readonly TagValueView[], now = Date.now()): void {
    const before = new Map(this.values);
    const marked: string[] = [];
    this.values.clear();
    for (const view of views) {
      const held = before.get(view.tagId);
      // the same update as held (a new stream for rows still in view): nothing to re-render
      if (held && held.view.sequenceId === view.sequenceId) this.values.set(view.tagId, held);
      else if (held && isChange(held.view, view)) {
        this.values.set(view.tagId, { view, changedAt: now, marked: true });
        marked.push(view.tagId);
      } else {
        this.values.set(view.tagId, { view, changedAt: held?.changedAt ?? 0, marked: held?.marked ?? false });
      }
    }
    for (const tagId of new Set([...before.keys(), ...this.values.keys()])) {
      if (before.get(tagId) !== this.values.get(tagId)) this.notify(tagId);
    }
    this.unmarkLater(marked, now);
  }

  /** Applies a batch; an older update than the one held (by sequence number) is ignored. */
  apply(views: readonly TagValueView[], now = Date.now()): void {
    const marked: string[] = [];
    for (const view of views) {
      const held = this.values.get(view.tagId);
      if (held && held.view.sequenceId >= view.sequenceId) continue;
      if (!held || isChange(held.view, view)) {
        this.values.set(view.tagId, { view, changedAt: now, marked: true });
        marked.push(view.tagId);
      } else {
        this.values.set(view.tagId, { view, changedAt: held.changedAt, marked: held.marked });
      }
      this.notify(view.tagId);
    }
    this.unmarkLater(marked, now);
  }

  subscribe(tagId: string, listener: () => void): () => void {
    let set = this.listeners.get(tagId);
    if (!set) this.listeners.set(tagId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tagId);
    };
  }

  // One timer per batch, not one per changed cell: the marks of a batch end together, in one
  // render, and the tags that changed again since keep theirs (their own batch ends them).
  private unmarkLater(tagIds: readonly string[], changedAt: number): void {
    if (tagIds.length === 0) return;
    setTimeout(() => {
      for (const tagId of tagIds) {
        const held = this.values.get(tagId);
        if (!held?.marked || held.changedAt !== changedAt) continue;
        this.values.set(tagId, { ...held, marked: false });
        this.notify(tagId);
      }
    }, CHANGED_MARK_MS);
  }

  private notify(tagId: string): void {
    const set = this.listeners.get(tagId);
    if (set) for (const listener of set) listener();
  }
}

export const liveValues = new LiveValueStore();

/** One tag's live value; the calling component re-renders only when that tag changes. */
export function useLiveValue(tagId: string, store: LiveValueStore = liveValues): LiveValue | undefined {
  // stable per tag: a new subscribe function would resubscribe on every render
  const subscribe = useCallback((listener: () => void) => store.subscribe(tagId, listener), [store, tagId]);
  return useSyncExternalStore(subscribe, () => store.get(tagId));
}
