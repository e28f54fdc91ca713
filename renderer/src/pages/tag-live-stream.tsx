// The tag browser's live stream: which rows stream their values (the live window around the rows
// in view, and the tag being written) and whether values are live. Its own component, so that
// scrolling to a new window re-renders this and opens a new stream, never the whole page (its
// filters, device tree and grid), which took a frame each time on a slow machine.
import { Alert } from '@mui/material';
import { memo, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { nextLiveWindow, type RowWindow } from './live-window.ts';
import type { TagRow } from './tag-grid.tsx';
import { useLiveValues, type LiveState } from './use-live-values.ts';

/** what the grid calls when its rows in view change (first..last inclusive) */
export type ViewChange = (first: number, last: number) => void;

interface TagLiveStreamProps {
  rows: readonly TagRow[];
  writing: TagRow | null;
  /** set to the function the grid's view changes go to */
  viewChange: RefObject<ViewChange | null>;
}

export const TagLiveStream = memo(function TagLiveStream({ rows, writing, viewChange }: TagLiveStreamProps) {
  const [liveRows, setLiveRows] = useState<RowWindow | null>(null);
  const held = useRef<RowWindow | null>(null);
  // a layout effect: in place before the grid's first (passive) effect reports its view. A view
  // inside the held window (most scroll steps) schedules no render at all.
  useLayoutEffect(() => {
    viewChange.current = (first, last) => {
      const next = nextLiveWindow(held.current, first, last);
      if (next === held.current) return;
      held.current = next;
      setLiveRows(next);
    };
    return () => {
      viewChange.current = null;
    };
  }, [viewChange]);
  // Live values for the rows in view and around them (and the tag being written), not every tag.
  const liveTagIds = useMemo(() => {
    const ids = liveRows ? rows.slice(liveRows.start, liveRows.end).map((tag) => tag.id) : [];
    if (writing && !ids.includes(writing.id)) ids.push(writing.id);
    return ids;
  }, [rows, liveRows, writing]);
  return <LiveStatus state={useLiveValues(liveTagIds)} />;
});

/** Whether values are live, and when not, why and that it reconnects by itself. */
function LiveStatus({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  if (state.kind === 'live') return null;
  if (state.kind === 'connecting') return null;
  return (
    <Alert severity="warning" sx={{ mx: 3, mb: 1 }} role="status" data-testid="live-status">
      {state.kind === 'offline' ? t('live.offline') : t('live.failed', { message: state.message })}
    </Alert>
  );
}
