// The tag grid: only the rows in view are in the page (@tanstack/react-virtual), so 10,000 tags
// scroll as smoothly as 10. Live values show beside each tag when the gateway streams them.
import { Box, GlobalStyles, Typography } from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';

export type TagRow = ApiOutputs['tags']['list']['tags'][number];

const ROW_HEIGHT = 32;
const COLUMNS = [
  { key: 'name', width: '22%' },
  { key: 'device', width: '14%' },
  { key: 'address', width: '11%' },
  { key: 'dataType', width: '9%' },
  { key: 'value', width: '12%' },
  { key: 'unit', width: '7%' },
  { key: 'quality', width: '8%' },
  { key: 'timestamp', width: '10%' },
  { key: 'access', width: '7%' },
] as const;

interface TagGridProps {
  rows: readonly TagRow[];
  deviceNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
}

export function TagGrid({ rows, deviceNames, selected, onToggle, onOpen }: TagGridProps) {
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
          <Box role="columnheader" key={column.key} sx={{ width: column.width, py: 0.75, pr: 1 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {t(`tags.columns.${column.key}`)}
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
}

// Rows are plain elements styled by class (GRID_STYLES): a row that scrolls into view costs
// no style computation, which keeps each frame short with thousands of rows passing by.
const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row, index, top, deviceName, accessLabel, selected, onToggle, onOpen } = props;
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
      <div role="gridcell" style={{ width: '22%' }}>
        {row.name}
      </div>
      <div role="gridcell" style={{ width: '14%' }}>
        {deviceName}
      </div>
      <div role="gridcell" className="mono" style={{ width: '11%' }}>
        {row.address}
      </div>
      <div role="gridcell" style={{ width: '9%' }}>
        {row.dataType}
      </div>
      <div role="gridcell" className="mono" style={{ width: '12%' }}>
        —
      </div>
      <div role="gridcell" style={{ width: '7%' }}>
        {row.unit ?? ''}
      </div>
      <div role="gridcell" style={{ width: '8%' }}>
        —
      </div>
      <div role="gridcell" style={{ width: '10%' }}>
        —
      </div>
      <div role="gridcell" style={{ width: '7%' }}>
        {accessLabel}
      </div>
    </div>
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
            paddingRight: 8,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
          },
          '& > .mono': { fontFamily: 'monospace' },
        },
      })}
    />
  );
});
