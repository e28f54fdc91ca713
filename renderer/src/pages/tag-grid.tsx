// The tag grid: only the rows in view are in the page (@tanstack/react-virtual), so 10,000 tags
// scroll as smoothly as 10. Each row's live cells listen to their own tag in the live value store:
// a batch of changes re-renders those rows' cells, never the grid.
import { GlobalStyles } from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TAG_ACCESS, type TagAccess } from '../../../common/enums.ts';
import type { QualityName } from '../../../common/live-values-message.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { formatDateTime, formatRecentTime } from '../i18n/formatters.ts';
import { useLiveValue } from '../stores/live-values-store.ts';
import { liveValueText } from './live-value-text.ts';
import { tagIsWritable } from './tag-write-form.ts';

export type TagRow = ApiOutputs['tags']['list']['tags'][number];

const ROW_HEIGHT = 32;
// One CSS grid template for the header and every row, so the columns line up. At 1280 px the
// grid is about 800 px wide, less a scrollbar: the short columns get the width of their usual
// longest content at 13 px (40001:CDAB, "ByteArray", "Uncertain", "11:36:19 AM", "Read/write"),
// and name, device and value share the rest (and any extra width of a larger window).
const COLUMNS = [
  { key: 'name', track: 'minmax(112px, 3fr)' },
  { key: 'device', track: 'minmax(100px, 2fr)' },
  { key: 'address', track: '78px' },
  { key: 'dataType', track: '66px' },
  { key: 'value', track: 'minmax(72px, 1fr)' },
  { key: 'unit', track: '36px' },
  { key: 'quality', track: '64px' },
  { key: 'timestamp', track: '84px' },
  { key: 'access', track: '70px' },
  { key: 'write', track: '34px' },
] as const;
// Material's "Edit" icon as a plain path: an MUI IconButton per writable row (ripple, emotion
// styles, an SvgIcon) made each row that scrolled into view several times costlier to mount.
const EDIT_ICON_PATH =
  'M3 17.25V21h3.75L17.81 9.94l-3.75-3.75zM20.71 7.04c.39-.39.39-1.02 0-1.41l-2.34-2.34a.996.996 0 0 0-1.41 0l-1.83 1.83 3.75 3.75z';
const TEMPLATE = COLUMNS.map((column) => column.track).join(' ');
const CELL_GAP = 8;
const FONT_SIZE = 13;

interface TagGridProps {
  rows: readonly TagRow[];
  deviceNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
  /** opens the write dialog; absent when the signed-in role may not write */
  onWrite?: (tag: TagRow) => void;
  /** the rows in the page changed (indexes into `rows`, first..last inclusive) */
  onViewChange?: (first: number, last: number) => void;
}

/** The words the rows show, looked up once per language rather than per row and update. */
interface GridLabels {
  access: Record<TagAccess, string>;
  quality: Record<QualityName, string>;
  write(name: string): string;
}

const QUALITIES: readonly QualityName[] = ['Good', 'Uncertain', 'Bad'];

// memo: the page re-renders for its own state (the live window, the stream's state); the grid
// only when its rows, selection or handlers do.
export const TagGrid = memo(function TagGrid(props: TagGridProps) {
  const { rows, deviceNames, selected, onToggle, onOpen, onWrite, onViewChange } = props;
  const { t } = useTranslation();
  const labels = useMemo<GridLabels>(
    () => ({
      access: Object.fromEntries(TAG_ACCESS.map((kind) => [kind, t(`access.${kind}`)])) as GridLabels['access'],
      quality: Object.fromEntries(QUALITIES.map((q) => [q, t(`live.quality.${q}`)])) as GridLabels['quality'],
      write: (name) => t('write.title', { name }),
    }),
    [t],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const slots = useRef(0);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // A few rows beyond the view: enough for a scroll step, and each one more re-renders with
    // every live batch.
    overscan: 4,
    // Always as many rows as the view has ever needed (its slots), each row element keyed by its
    // slot: a row scrolling in takes over the elements of the one scrolling out, so a scroll step
    // changes some text instead of making a dozen new elements for the browser to style.
    rangeExtractor: (range) => {
      const size = Math.max(slots.current, range.endIndex - range.startIndex + 1 + 2 * range.overscan);
      slots.current = size;
      const start = Math.max(0, Math.min(range.startIndex - range.overscan, range.count - size));
      const end = Math.min(range.count, start + size);
      return Array.from({ length: end - start }, (_, i) => start + i);
    },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  // The rows in the page in the order of their slots, not of their indexes: each row element stays
  // where it is among its siblings while it shows one row after another. In index order React
  // would move the elements of the rows scrolling in from one end of the list to the other, and
  // the browser styles and lays out a moved element (and all it holds) afresh, as a new one: that
  // was most of a scroll step's work. Their place on screen is their transform; the row index
  // (aria-rowindex) tells assistive technology their order.
  const bySlot = rotateToSlotOrder(items, slots.current);
  useEffect(() => {
    if (last >= first) onViewChange?.(first, last);
  }, [first, last, rows, onViewChange]);
  // Plain elements styled by class (TagGridStyles), not Boxes: the grid renders on every scroll
  // step, and each Box with an `sx` object resolves its styles through emotion again.
  return (
    <div role="grid" aria-label={t('tags.grid')} aria-rowcount={rows.length + 1} className="tag-grid">
      <TagGridStyles />
      <GridHeader />
      {/* contain: the browser lays out only what is inside while the list scrolls; an opaque
          background lets it scroll the list on the compositor instead of repainting it */}
      <div ref={scroller} data-testid="tag-grid-scroller" className="tag-grid-scroller">
        {/* while it scrolls, the rows ignore the pointer: no hover restyling and hit testing of the
            row passing under it on every frame */}
        <div
          className={virtualizer.isScrolling ? 'tag-grid-body tag-grid-scrolling' : 'tag-grid-body'}
          style={{ height: virtualizer.getTotalSize() }}
          onMouseOver={showTitle}
        >
          {bySlot.map((item) => {
            const row = rows[item.index] as TagRow;
            return (
              <GridRow
                key={item.index % slots.current}
                row={row}
                index={item.index}
                top={item.start}
                deviceName={deviceNames.get(row.deviceId) ?? ''}
                labels={labels}
                selected={selected.has(row.id)}
                onToggle={onToggle}
                onOpen={onOpen}
                onWrite={onWrite && tagIsWritable(row) ? onWrite : undefined}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});

// A cell's tooltip (its whole text, the full time, the reason of a quality) is kept in data-title
// and becomes its title when the pointer comes over it: a changed title attribute makes the
// browser restyle the cell (a style sheet has a [title] rule), on every scroll step and live
// batch, for tooltips nobody is looking at.
function showTitle(event: MouseEvent<HTMLElement>): void {
  const cell = (event.target as Element).closest<HTMLElement>('[role="gridcell"], button');
  if (!cell) return;
  const title = cell.dataset.title;
  if (title === undefined) cell.removeAttribute('title');
  else if (cell.title !== title) cell.title = title;
}

/** Consecutive rows (by index) rotated so that their slots (index % slots) ascend. */
export function rotateToSlotOrder<T extends { index: number }>(items: readonly T[], slots: number): readonly T[] {
  const wrap = items.findIndex((item) => item.index % slots === 0);
  return wrap <= 0 ? items : [...items.slice(wrap), ...items.slice(0, wrap)];
}

/** The column headings: rendered once per language, not with every scroll step of the grid. */
const GridHeader = memo(function GridHeader() {
  const { t } = useTranslation();
  return (
    <div role="row" className="tag-grid-columns tag-grid-header">
      {COLUMNS.map((column) => (
        <div
          role="columnheader"
          key={column.key}
          title={column.key === 'write' ? undefined : t(`tags.columns.${column.key}`)}
        >
          {column.key === 'write' ? '' : t(`tags.columns.${column.key}`)}
        </div>
      ))}
    </div>
  );
});

interface GridRowProps {
  row: TagRow;
  index: number;
  top: number;
  deviceName: string;
  labels: GridLabels;
  selected: boolean;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
  onWrite: ((tag: TagRow) => void) | undefined;
}

// Rows are plain elements styled by class (TagGridStyles): a row that scrolls into view costs
// no style computation, which keeps each frame short with thousands of rows passing by.
const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row, index, top, deviceName, labels, selected, onToggle, onOpen, onWrite } = props;
  const accessLabel = labels.access[row.accessType];
  const element = useRef<HTMLDivElement>(null);
  const shown = useRef(row.id);
  // The element now shows another tag: a focus inside it belonged to the tag that scrolled away
  // (as when a row leaves the page), so it goes, rather than moving to this one.
  useEffect(() => {
    if (shown.current === row.id) return;
    shown.current = row.id;
    if (element.current?.contains(document.activeElement)) (document.activeElement as HTMLElement).blur();
  }, [row.id]);
  return (
    <div
      ref={element}
      role="row"
      className="tag-grid-columns tag-grid-row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-disabled={!row.enabled || undefined}
      tabIndex={0}
      data-testid="tag-row"
      onClick={() => onToggle(row.id)}
      onDoubleClick={() => onOpen(row)}
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget) return; // the write button handles its own keys
        if (event.key === ' ') {
          event.preventDefault();
          onToggle(row.id);
        } else if (event.key === 'Enter') onOpen(row);
      }}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" data-title={row.name}>
        {row.name}
      </div>
      <div role="gridcell" data-title={deviceName}>
        {deviceName}
      </div>
      <div role="gridcell" className="mono" data-title={row.address}>
        {row.address}
      </div>
      <div role="gridcell" data-title={row.dataType}>
        {row.dataType}
      </div>
      <LiveCells tagId={row.id} unit={row.unit ?? ''} qualityLabels={labels.quality} />
      <div role="gridcell" data-title={accessLabel}>
        {accessLabel}
      </div>
      <div role="gridcell" className="write">
        {onWrite && (
          <button
            type="button"
            aria-label={labels.write(row.name)}
            data-title={labels.write(row.name)}
            data-testid="write-tag"
            onClick={(event) => {
              event.stopPropagation();
              onWrite(row);
            }}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d={EDIT_ICON_PATH} />
            </svg>
          </button>
        )}
      </div>
    </div>
  );
});

/** Value, unit, quality and time of one tag: the only part of a row a live batch re-renders. */
const LiveCells = memo(function LiveCells(props: {
  tagId: string;
  unit: string;
  qualityLabels: GridLabels['quality'];
}) {
  const { tagId, unit, qualityLabels } = props;
  const live = useLiveValue(tagId);
  const view = live?.view;
  // The mark is a class the store clears for a whole batch at once, not an animation (which would
  // restyle every visible value on every frame) nor a timer per cell.
  const marked = live?.marked ?? false;
  // The mark fades out when it ends for the tag it marked; a row element taken over by another
  // tag drops it at once (the span stays: a new one per tag scrolling in costs a frame's styling).
  const [mark, setMark] = useState({ tagId, marked, fading: false });
  if (mark.tagId !== tagId || mark.marked !== marked)
    setMark({ tagId, marked, fading: mark.tagId === tagId && mark.marked && !marked });
  const quality = view && qualityLabels[view.quality] + (view.reason ? ` (${view.reason})` : '');
  return (
    <>
      <div role="gridcell" className="mono" data-testid="tag-value">
        <span className={marked ? 'changed' : mark.fading ? 'fading' : undefined}>
          {view ? liveValueText(view.value) : '—'}
        </span>
      </div>
      <div role="gridcell" data-title={unit || undefined}>
        {unit}
      </div>
      <div role="gridcell" data-quality={view?.quality} data-title={view?.reason ? quality : undefined}>
        {quality ?? '—'}
      </div>
      <div role="gridcell" data-title={view ? formatDateTime(new Date(view.sourceTime)) : undefined}>
        {view ? formatRecentTime(new Date(view.sourceTime)) : '—'}
      </div>
    </>
  );
});

/** The rows' styles, once for the whole grid, following the theme (light or dark). */
const TagGridStyles = memo(function TagGridStyles() {
  return (
    <GlobalStyles
      styles={(theme) => ({
        '.tag-grid': { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1 },
        '.tag-grid-scroller': {
          overflow: 'auto',
          flexGrow: 1,
          minHeight: 0,
          contain: 'strict',
          scrollbarGutter: 'stable',
          background: theme.palette.background.paper,
        },
        '.tag-grid-body': { position: 'relative' },
        '.tag-grid-columns': {
          display: 'grid',
          gridTemplateColumns: TEMPLATE,
          columnGap: CELL_GAP,
          alignItems: 'center',
          padding: '0 8px',
          fontSize: FONT_SIZE,
          '& > *': { minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
        },
        // the header reserves the scrollbar's gutter as the rows' scroller does, so they line up
        '.tag-grid-header': {
          flexShrink: 0,
          overflow: 'hidden',
          scrollbarGutter: 'stable',
          height: ROW_HEIGHT + 2,
          fontWeight: 600,
          borderBottom: `1px solid ${theme.palette.divider}`,
        },
        // on the rows' parent, inherited: Chromium hands an inherited pointer-events down without
        // restyling the rows, where a rule on the rows restyled all of them (a long first frame)
        '.tag-grid-scrolling': { pointerEvents: 'none' },
        // CssBaseline gives every element `box-sizing: inherit`, and Chromium restyles all the
        // children of an element whose children inherit a property explicitly whenever that element
        // is restyled: a row moved to its next place (a new transform) restyled its 11–14 elements
        // rather than itself alone, most of a scroll step's style work. The same value, not inherited.
        '.tag-grid-body, .tag-grid-row, .tag-grid-row *': { boxSizing: 'border-box' },
        '.tag-grid-row': {
          position: 'absolute',
          top: 0,
          left: 0,
          right: 0,
          height: ROW_HEIGHT,
          // a row's layout and paint stay inside it: a new value re-lays out one row, not the list
          contain: 'strict',
          // each row its own compositor layer: a row moved to a new place (a recycled slot) is
          // moved by the compositor, and only a row whose text changed is painted and rasterized
          // again, not every 256 px tile of the list it crossed (16 tiles a scroll step)
          willChange: 'transform',
          borderBottom: `1px solid ${theme.palette.divider}`,
          cursor: 'pointer',
          '&:hover': { background: theme.palette.action.hover },
          '&[aria-selected="true"]': { background: theme.palette.action.selected },
          '&[aria-disabled="true"]': { opacity: 0.55 },
          '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: -2 },
          '& > .mono': { fontFamily: 'monospace' },
          '& > .write': { overflow: 'visible', display: 'flex' },
          '& > .write > button': {
            display: 'inline-flex',
            alignItems: 'center',
            justifyContent: 'center',
            width: 28,
            height: 28,
            padding: 0,
            border: 0,
            borderRadius: '50%',
            background: 'transparent',
            color: theme.palette.action.active,
            cursor: 'pointer',
            '&:hover': { background: theme.palette.action.hover },
            '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: -2 },
          },
          '& > .write svg': { width: 20, height: 20, fill: 'currentColor' },
          '& [data-quality="Uncertain"]': { color: theme.palette.warning.main },
          '& [data-quality="Bad"]': { color: theme.palette.error.main },
          // the "changed" mark: on at once, faded out when it ends
          '& .mono > span': {
            borderRadius: 2,
            padding: '0 4px',
            margin: '0 -4px',
          },
          '& .mono > .changed': {
            backgroundColor: theme.palette.mode === 'dark' ? 'rgba(255, 213, 79, 0.45)' : 'rgba(255, 193, 7, 0.5)',
          },
          '& .mono > .fading': { transition: 'background-color 600ms ease-out' },
        },
      })}
    />
  );
});
