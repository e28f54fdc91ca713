// The tag grid: only the rows in view are in the page (@tanstack/react-virtual), so 10,000 tags
// scroll as smoothly as 10. Live values show beside each tag when the gateway streams them.
import { Box, Typography } from '@mui/material';
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
      <Box ref={scroller} data-testid="tag-grid-scroller" sx={{ overflow: 'auto', flexGrow: 1, minHeight: 0 }}>
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
  selected: boolean;
  onToggle(tagId: string): void;
  onOpen(tag: TagRow): void;
}

const GridRow = memo(function GridRow({ row, index, top, deviceName, selected, onToggle, onOpen }: GridRowProps) {
  const { t } = useTranslation();
  return (
    <Box
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
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
      sx={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        transform: `translateY(${top}px)`,
        display: 'flex',
        alignItems: 'center',
        px: 1,
        borderBottom: 1,
        borderColor: 'divider',
        cursor: 'pointer',
        bgcolor: selected ? 'action.selected' : undefined,
        '&:hover': { bgcolor: 'action.hover' },
        '&:focus-visible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        opacity: row.enabled ? 1 : 0.55,
      }}
    >
      <Cell width="22%">{row.name}</Cell>
      <Cell width="14%">{deviceName}</Cell>
      <Cell width="11%" mono>
        {row.address}
      </Cell>
      <Cell width="9%">{row.dataType}</Cell>
      <Cell width="12%" mono>
        —
      </Cell>
      <Cell width="7%">{row.unit ?? ''}</Cell>
      <Cell width="8%">—</Cell>
      <Cell width="10%">—</Cell>
      <Cell width="7%">{t(`access.${row.accessType}`)}</Cell>
    </Box>
  );
});

function Cell({ width, mono, children }: { width: string; mono?: boolean; children: React.ReactNode }) {
  return (
    <Box
      role="gridcell"
      sx={{
        width,
        pr: 1,
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
        fontFamily: mono ? 'monospace' : undefined,
        fontSize: 14,
      }}
    >
      {children}
    </Box>
  );
}
