// The tag grid: only the rows in view are in the page (@tanstack/react-virtual), so 10,000 tags
// scroll as smoothly as 10. Each row's live cells listen to their own tag in the live value store:
// a batch of changes re-renders those rows' cells, never the grid.
import EditIcon from '@mui/icons-material/Edit';
import { Box, GlobalStyles, IconButton, Typography } from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { formatDateTime, formatRecentTime } from '../i18n/formatters.ts';
import { useLiveValue } from '../stores/live-values-store.ts';
import { liveValueText } from './live-value-text.ts';
import { tagIsWritable } from './tag-write-form.ts';

export type TagRow = ApiOutputs['tags']['list']['tags'][number];

const ROW_HEIGHT = 32;
/** how long a changed value stays marked (the mark fades out over this time) */
export const CHANGED_MARK_MS = 2_000;
// At 1280 px the grid is about 750 px wide: every column must fit its header and its usual
// content (an address like 400011, "Float", "Uncertain", a time of day) with an 8 px gap.
// The write column fits a small icon button (34 px).
const COLUMNS = [
  { key: 'name', width: '17%' },
  { key: 'device', width: '13%' },
  { key: 'address', width: '10%' },
  { key: 'dataType', width: '8%' },
  { key: 'value', width: '11%' },
  { key: 'unit', width: '6%' },
  { key: 'quality', width: '10%' },
  { key: 'timestamp', width: '12%' },
  { key: 'access', width: '8%' },
  { key: 'write', width: '5%' },
] as const;
const WIDTH = Object.fromEntries(COLUMNS.map((column) => [column.key, column.width])) as Record<
  (typeof COLUMNS)[number]['key'],
  string
>;
const CELL_GAP = 8;

interface TagGridProps {
  rows: readonly TagRow[];
  deviceNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
  /** opens the write dialog; absent when the signed-in role may not write */
  onWrite?: (tag: TagRow) => void;
}

export function TagGrid({ rows, deviceNames, selected, onToggle, onOpen, onWrite }: TagGridProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  return (
    <Box
      role="grid"
      aria-label={t('tags.grid')}
      aria-rowcount={rows.length + 1}
      sx={{ display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1 }}
    >
      <Box role="row" sx={{ display: 'flex', borderBottom: 1, borderColor: 'divider', fontWeight: 600, px: 1 }}>
        {COLUMNS.map((column) => (
          <Box
            role="columnheader"
            key={column.key}
            sx={{ width: column.width, py: 0.75, pr: `${CELL_GAP}px`, minWidth: 0 }}
          >
            <Typography
              variant="body2"
              sx={{ fontWeight: 600 }}
              noWrap
              title={column.key === 'write' ? undefined : t(`tags.columns.${column.key}`)}
            >
              {column.key === 'write' ? '' : t(`tags.columns.${column.key}`)}
            </Typography>
          </Box>
        ))}
      </Box>
      <TagGridStyles />
      {/* contain: the browser lays out only what is inside while the list scrolls */}
      <Box
        ref={scroller}
        data-testid="tag-grid-scroller"
        sx={{ overflow: 'auto', flexGrow: 1, minHeight: 0, contain: 'strict' }}
      >
        <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index] as TagRow;
            return (
              <GridRow
                key={row.id}
                row={row}
                index={item.index}
                top={item.start}
                deviceName={deviceNames.get(row.deviceId) ?? ''}
                accessLabel={t(`access.${row.accessType}`)}
                selected={selected.has(row.id)}
                onToggle={onToggle}
                onOpen={onOpen}
                onWrite={onWrite && tagIsWritable(row) ? onWrite : undefined}
                writeLabel={t('write.title', { name: row.name })}
              />
            );
          })}
        </Box>
      </Box>
    </Box>
  );
}

interface GridRowProps {
  row: TagRow;
  index: number;
  top: number;
  deviceName: string;
  accessLabel: string;
  selected: boolean;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
  onWrite: ((tag: TagRow) => void) | undefined;
  writeLabel: string;
}

// Rows are plain elements styled by class (GRID_STYLES): a row that scrolls into view costs
// no style computation, which keeps each frame short with thousands of rows passing by.
const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row, index, top, deviceName, accessLabel, selected, onToggle, onOpen, onWrite, writeLabel } = props;
  return (
    <div
      role="row"
      className="tag-grid-row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-disabled={!row.enabled || undefined}
      tabIndex={0}
      data-testid="tag-row"
      onClick={() => onToggle(row.id)}
      onDoubleClick={() => onOpen(row)}
      onKeyDown={(event) => {
        if (event.key === ' ') {
          event.preventDefault();
          onToggle(row.id);
        } else if (event.key === 'Enter') onOpen(row);
      }}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" style={{ width: WIDTH.name }} title={row.name}>
        {row.name}
      </div>
      <div role="gridcell" style={{ width: WIDTH.device }} title={deviceName}>
        {deviceName}
      </div>
      <div role="gridcell" className="mono" style={{ width: WIDTH.address }} title={row.address}>
        {row.address}
      </div>
      <div role="gridcell" style={{ width: WIDTH.dataType }} title={row.dataType}>
        {row.dataType}
      </div>
      <LiveCells tagId={row.id} unit={row.unit ?? ''} />
      <div role="gridcell" style={{ width: WIDTH.access }} title={accessLabel}>
        {accessLabel}
      </div>
      <div role="gridcell" style={{ width: WIDTH.write, paddingRight: 0, overflow: 'visible' }}>
        {onWrite && (
          <IconButton
            size="small"
            aria-label={writeLabel}
            data-testid="write-tag"
            onClick={(event) => {
              event.stopPropagation();
              onWrite(row);
            }}
          >
            <EditIcon fontSize="small" />
          </IconButton>
        )}
      </div>
    </div>
  );
});

/** Value, unit, quality and time of one tag: the only part of a row a live batch re-renders. */
const LiveCells = memo(function LiveCells({ tagId, unit }: { tagId: string; unit: string }) {
  const { t } = useTranslation();
  const live = useLiveValue(tagId);
  const view = live?.view;
  const fresh = live !== undefined && live.changedAt > 0 && Date.now() - live.changedAt < CHANGED_MARK_MS;
  return (
    <>
      <div role="gridcell" className="mono" style={{ width: WIDTH.value }} data-testid="tag-value">
        {/* a new key restarts the fade-out animation of the "changed" mark */}
        <span key={live?.changedAt ?? 0} className={fresh ? 'changed' : undefined}>
          {view ? liveValueText(view.value) : '—'}
        </span>
      </div>
      <div role="gridcell" style={{ width: WIDTH.unit }} title={unit || undefined}>
        {unit}
      </div>
      <div
        role="gridcell"
        style={{ width: WIDTH.quality }}
        data-quality={view?.quality}
        title={view?.reason ? t(`live.quality.${view.quality}`) + ` (${view.reason})` : undefined}
      >
        {view ? t(`live.quality.${view.quality}`) + (view.reason ? ` (${view.reason})` : '') : '—'}
      </div>
      <div
        role="gridcell"
        style={{ width: WIDTH.timestamp }}
        title={view ? formatDateTime(new Date(view.sourceTime)) : undefined}
      >
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
        '.tag-grid-row': {
          position: 'absolute',
          top: 0,
          left: 0,
          right: 0,
          height: ROW_HEIGHT,
          display: 'flex',
          alignItems: 'center',
          padding: '0 8px',
          borderBottom: `1px solid ${theme.palette.divider}`,
          cursor: 'pointer',
          fontSize: 14,
          '&:hover': { background: theme.palette.action.hover },
          '&[aria-selected="true"]': { background: theme.palette.action.selected },
          '&[aria-disabled="true"]': { opacity: 0.55 },
          '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: -2 },
          '& > [role="gridcell"]': {
            paddingRight: CELL_GAP,
            minWidth: 0,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
          },
          '& > .mono': { fontFamily: 'monospace' },
          '& [data-quality="Uncertain"]': { color: theme.palette.warning.main },
          '& [data-quality="Bad"]': { color: theme.palette.error.main },
          '& .changed': {
            animation: `tag-value-changed ${CHANGED_MARK_MS}ms ease-out`,
            borderRadius: 2,
            padding: '0 4px',
            margin: '0 -4px',
          },
        },
        '@keyframes tag-value-changed': {
          from: {
            backgroundColor: theme.palette.mode === 'dark' ? 'rgba(255, 213, 79, 0.45)' : 'rgba(255, 193, 7, 0.5)',
          },
          to: { backgroundColor: 'transparent' },
        },
      })}
    />
  );
});
