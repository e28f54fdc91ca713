// The latest value of every tag the tag browser streams, keyed by tag id. A batch of changes
// wakes only the rows showing those tags (each row listens to its own tag), so 10,000 tags
// updating every second never re-render the whole grid.
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

export class LiveValueStore {
  private readonly values = new Map<string, LiveValue>();
  private readonly listeners = new Map<string, Set<() => void>>();

  get(tagId: string): LiveValue | undefined {
    return this.values.get(tagId);
  }

  get size(): number {
    return this.values.size;
  }

  /** Replaces everything with a snapshot (a new stream): nothing in it counts as a change. */
  reset(views: readonly TagValueView[]): void {
    const before = new Set(this.values.keys());
    this.values.clear();
    for (const view of views) this.values.set(view.tagId, { view, changedAt: 0 });
    for (const tagId of new Set([...before, ...this.values.keys()])) this.notify(tagId);
  }

  /** Applies a batch; an older update than the one held (by sequence number) is ignored. */
  apply(views: readonly TagValueView[], now = Date.now()): void {
    for (const view of views) {
      const held = this.values.get(view.tagId);
      if (held && held.view.sequenceId >= view.sequenceId) continue;
      const changed = !held || !sameValue(held.view.value, view.value) || held.view.quality !== view.quality;
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
