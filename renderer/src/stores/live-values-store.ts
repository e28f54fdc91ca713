// The latest value of every tag the tag browser streams (the rows in view and around them), keyed
// by tag id. A batch of changes wakes only the rows showing those tags (each row listens to its
// own tag), so a batch never re-renders the whole grid.
import { useSyncExternalStore } from 'react';
import type { TagValueView } from '../../../common/live-values-message.ts';

export interface LiveValue {
  view: TagValueView;
  /** when the value last changed (ms, the renderer's clock): drives the "changed recently" mark */
  changedAt: number;
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
    this.values.clear();
    for (const view of views) {
      const held = before.get(view.tagId);
      const changed = held !== undefined && isChange(held.view, view);
      this.values.set(view.tagId, { view, changedAt: changed ? now : (held?.changedAt ?? 0) });
    }
    for (const tagId of new Set([...before.keys(), ...this.values.keys()])) {
      if (before.get(tagId) !== this.values.get(tagId)) this.notify(tagId);
    }
  }

  /** Applies a batch; an older update than the one held (by sequence number) is ignored. */
  apply(views: readonly TagValueView[], now = Date.now()): void {
    for (const view of views) {
      const held = this.values.get(view.tagId);
      if (held && held.view.sequenceId >= view.sequenceId) continue;
      const changed = !held || isChange(held.view, view);
      this.values.set(view.tagId, { view, changedAt: changed ? now : (held?.changedAt ?? 0) });
      this.notify(view.tagId);
    }
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

  private notify(tagId: string): void {
    const set = this.listeners.get(tagId);
    if (set) for (const listener of set) listener();
  }
}

export const liveValues = new LiveValueStore();

/** One tag's live value; the calling component re-renders only when that tag changes. */
export function useLiveValue(tagId: string, store: LiveValueStore = liveValues): LiveValue | undefined {
  return useSyncExternalStore(
    (listener) => store.subscribe(tagId, listener),
    () => store.get(tagId),
  );
}
