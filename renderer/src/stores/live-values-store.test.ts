import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TagValueView } from '../../../common/live-values-message.ts';
import { CHANGED_MARK_MS, LiveValueStore } from './live-values-store.ts';

const view = (
  tagId: string,
  value: TagValueView['value'],
  sequenceId: number,
  quality: TagValueView['quality'] = 'Good',
) => ({ tagId, deviceId: 'd', value, quality, reason: null, errorCode: 0, sourceTime: 0, sequenceId }) as TagValueView;

describe('the live value store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('wakes only the listeners of the tags in a batch', () => {
    const store = new LiveValueStore();
    const woken: string[] = [];
    for (const tagId of ['a', 'b', 'c']) store.subscribe(tagId, () => woken.push(tagId));
    store.reset([view('a', 1, 1), view('b', 2, 2)]);
    woken.length = 0;
    store.apply([view('b', 3, 5)], 1000);
    expect(woken).toEqual(['b']);
    expect(store.get('b')).toMatchObject({ view: { value: 3 }, changedAt: 1000 });
    expect(store.get('a')?.changedAt).toBe(0); // a snapshot is not a change
  });

  it('ignores an older update, and does not mark an unchanged value as changed', () => {
    const store = new LiveValueStore();
    store.apply([view('a', 1, 10)], 100);
    store.apply([view('a', 9, 9)], 200);
    expect(store.get('a')?.view.value).toBe(1);
    store.apply([view('a', 1, 11)], 300);
    expect(store.get('a')?.changedAt).toBe(100);
    store.apply([view('a', 1, 12, 'Bad')], 400);
    expect(store.get('a')?.changedAt).toBe(400);
  });

  it('drops a listener on unsubscribe, and a snapshot wakes tags that left it', () => {
    const store = new LiveValueStore();
    let calls = 0;
    const stop = store.subscribe('a', () => calls++);
    store.apply([view('a', 1, 1)]);
    store.reset([]);
    expect(calls).toBe(2);
    expect(store.get('a')).toBeUndefined();
    stop();
    store.apply([view('a', 2, 2)]);
    expect(calls).toBe(2);
  });

  it('a new snapshot (the rows in view moved) keeps the marks of tags still in it, and marks what moved on', () => {
    const store = new LiveValueStore();
    store.reset([view('a', 1, 1), view('b', 2, 2)], 100);
    store.apply([view('a', 5, 3)], 200);
    const woken: string[] = [];
    for (const tagId of ['a', 'b', 'c']) store.subscribe(tagId, () => woken.push(tagId));
    store.reset([view('a', 5, 4), view('b', 9, 5), view('c', 1, 6)], 300);
    expect(store.get('a')?.changedAt).toBe(200); // unchanged: its mark stays
    expect(store.get('b')?.changedAt).toBe(300); // changed while no stream carried it
    expect(store.get('c')?.changedAt).toBe(0); // new to the store: not a change
    expect(woken).toEqual(['a', 'b', 'c']);
    woken.length = 0;
    const held = store.get('c');
    store.reset([view('c', 1, 6)], 400);
    expect(store.get('a')).toBeUndefined();
    // c is the same update as held (the rows in view are still in the new stream): not woken
    expect(store.get('c')).toBe(held);
    expect(woken.sort()).toEqual(['a', 'b']);
  });

  it('marks a change for CHANGED_MARK_MS, the marks of a batch ending together unless changed again', () => {
    const store = new LiveValueStore();
    store.reset([view('a', 1, 1), view('b', 2, 2)], 0);
    expect(store.get('a')?.marked).toBe(false);
    store.apply([view('a', 3, 3), view('b', 4, 4)], 100);
    expect(store.get('a')?.marked).toBe(true);
    vi.advanceTimersByTime(CHANGED_MARK_MS / 2);
    store.apply([view('b', 5, 5)], 1100);
    const woken: string[] = [];
    for (const tagId of ['a', 'b']) store.subscribe(tagId, () => woken.push(tagId));
    vi.advanceTimersByTime(CHANGED_MARK_MS / 2);
    expect(woken).toEqual(['a']);
    expect(store.get('a')).toMatchObject({ marked: false, changedAt: 100, view: { value: 3 } });
    expect(store.get('b')?.marked).toBe(true); // changed again: its own batch ends its mark
    vi.advanceTimersByTime(CHANGED_MARK_MS / 2);
    expect(store.get('b')?.marked).toBe(false);
    expect(woken).toEqual(['a', 'b']);
  });
});
