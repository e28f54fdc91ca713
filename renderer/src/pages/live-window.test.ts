import { describe, expect, it } from 'vitest';
import { LIVE_MARGIN, nextLiveWindow } from './live-window.ts';

describe('the live window of the tag grid', () => {
  it('covers the view and a margin either side, clipped at the first row', () => {
    expect(nextLiveWindow(null, 0, 20)).toEqual({ start: 0, end: 21 + LIVE_MARGIN });
    expect(nextLiveWindow(null, 500, 520)).toEqual({ start: 500 - LIVE_MARGIN, end: 521 + LIVE_MARGIN });
  });

  it('stays put (the same object) while the view is inside it, and moves once it leaves', () => {
    const held = nextLiveWindow(null, 500, 520); // rows 500 - margin up to 520 + margin
    expect(nextLiveWindow(held, 500 + LIVE_MARGIN, 520 + LIVE_MARGIN)).toBe(held);
    expect(nextLiveWindow(held, 500 - LIVE_MARGIN, 520 - LIVE_MARGIN)).toBe(held);
    const below = nextLiveWindow(held, 501 + LIVE_MARGIN, 521 + LIVE_MARGIN);
    expect(below).toEqual({ start: 501, end: 522 + 2 * LIVE_MARGIN });
    expect(nextLiveWindow(held, 10, 30)).toEqual({ start: 0, end: 31 + LIVE_MARGIN });
  });
});
