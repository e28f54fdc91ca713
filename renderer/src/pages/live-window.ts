// Which rows of the tag grid stream live values: the rows in view and LIVE_MARGIN rows either
// side. The page then receives 1 Hz × a few hundred tags rather than every tag of the gateway
// (10,000 values a second to decode and store for rows nobody sees). The window stays put while
// the view is inside it, so scrolling a few rows keeps the stream; leaving it opens a new one
// around the view.

/** Rows [start, end) of the grid's current rows. */
export interface RowWindow {
  start: number;
  end: number;
}

/** rows streamed beyond each edge of the view: a few screens of scrolling before a new stream */
export const LIVE_MARGIN = 60;

/** The window for a view of rows first..last (inclusive): `held` while it covers them. */
export function nextLiveWindow(held: RowWindow | null, first: number, last: number): RowWindow {
  if (held && first >= held.start && last < held.end) return held;
  return { start: Math.max(0, first - LIVE_MARGIN), end: last + 1 + LIVE_MARGIN };
}
