// The OPC UA address space as a tree that loads each node's children when it is opened, a page
// at a time ("load more" follows the server's continuation point). Keyboard: up/down move,
// right opens, left closes, Enter selects. Variables can be dragged onto the tag list.
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import DataObjectIcon from '@mui/icons-material/DataObject';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import FolderIcon from '@mui/icons-material/Folder';
import FunctionsIcon from '@mui/icons-material/Functions';
import { Box, Button, CircularProgress, Typography } from '@mui/material';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../../api/api-client.ts';
import { apiFailure } from '../../api/api-error-text.ts';

export type BrowseEntry = ApiOutputs['opcua']['browse']['references'][number];
export type BrowsePage = ApiOutputs['opcua']['browse'];

/** What a dragged variable carries (dataTransfer type NODE_DRAG_TYPE). */
export const NODE_DRAG_TYPE = 'application/x-gateway-opcua-node';

interface Children {
  entries: BrowseEntry[];
  continuationPoint: string | null;
  loading: boolean;
  error: string | null;
}

const ROOT: BrowseEntry = {
  nodeId: 'i=85',
  browseName: 'Objects',
  displayName: 'Objects',
  nodeClass: 'Object',
  isVariable: false,
};

function iconOf(entry: BrowseEntry) {
  if (entry.isVariable) return <DataObjectIcon fontSize="small" color="primary" />;
  if (entry.nodeClass === 'Method') return <FunctionsIcon fontSize="small" color="action" />;
  return <FolderIcon fontSize="small" color="action" />;
}

export function OpcUaTree({
  browse,
  selected,
  onSelect,
}: {
  /** one page of children; a new function (new connection) resets the tree */
  browse(nodeId: string, continuationPoint?: string): Promise<BrowsePage>;
  selected: string | null;
  onSelect(entry: BrowseEntry): void;
}) {
  const { t } = useTranslation();
  const [children, setChildren] = useState<Map<string, Children>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(new Set([ROOT.nodeId]));
  const container = useRef<HTMLUListElement>(null);

  const load = useCallback(
    async (nodeId: string, continuationPoint?: string) => {
      const patch = (change: (current: Children | undefined) => Children) =>
        setChildren((previous) => new Map(previous).set(nodeId, change(previous.get(nodeId))));
      patch((current) => ({ entries: current?.entries ?? [], continuationPoint: null, loading: true, error: null }));
      try {
        const page = await browse(nodeId, continuationPoint);
        patch((current) => ({
          entries: continuationPoint ? [...(current?.entries ?? []), ...page.references] : page.references,
          continuationPoint: page.continuationPoint,
          loading: false,
          error: null,
        }));
      } catch (error) {
        const message = apiFailure(error).message;
        // a continuation point the server no longer knows cannot be retried: "browse again" starts over
        patch((current) => ({
          entries: current?.entries ?? [],
          continuationPoint: null,
          loading: false,
          error: message,
        }));
      }
    },
    [browse],
  );

  // A new connection: start again from Objects.
  useEffect(() => {
    setChildren(new Map());
    setExpanded(new Set([ROOT.nodeId]));
    void load(ROOT.nodeId);
  }, [load]);

  function toggle(entry: BrowseEntry, open?: boolean) {
    const isOpen = expanded.has(entry.nodeId);
    const want = open ?? !isOpen;
    if (want === isOpen) return;
    setExpanded((previous) => {
      const next = new Set(previous);
      if (want) next.add(entry.nodeId);
      else next.delete(entry.nodeId);
      return next;
    });
    if (want && !children.has(entry.nodeId)) void load(entry.nodeId);
  }

  function onKeyDown(event: KeyboardEvent, entry: BrowseEntry) {
    const items = [...(container.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [])];
    const index = items.indexOf(event.currentTarget as HTMLElement);
    const focus = (i: number) => items[Math.max(0, Math.min(items.length - 1, i))]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focus(index + 1);
        break;
      case 'ArrowUp':
        focus(index - 1);
        break;
      case 'ArrowRight':
        if (!entry.isVariable) toggle(entry, true);
        break;
      case 'ArrowLeft':
        toggle(entry, false);
        break;
      case 'Enter':
      case ' ':
        onSelect(entry);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  function renderNode(entry: BrowseEntry, depth: number, path: string) {
    const isOpen = expanded.has(entry.nodeId);
    const kids = children.get(entry.nodeId);
    const expandable = !entry.isVariable;
    // the same node can appear under two parents: the path keeps React's keys apart
    const key = `${path}/${entry.nodeId}`;
    return (
      <li key={key} role="none">
        <Box
          role="treeitem"
          aria-expanded={expandable ? isOpen : undefined}
          aria-selected={selected === entry.nodeId}
          aria-level={depth + 1}
          aria-label={entry.displayName}
          tabIndex={selected === entry.nodeId || (selected === null && depth === 0) ? 0 : -1}
          draggable={entry.isVariable}
          onDragStart={(event) => {
            event.dataTransfer.setData(NODE_DRAG_TYPE, JSON.stringify(entry));
            event.dataTransfer.setData('text/plain', entry.nodeId);
            event.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onSelect(entry)}
          onDoubleClick={() => expandable && toggle(entry)}
          onKeyDown={(event) => onKeyDown(event, entry)}
          data-node-id={entry.nodeId}
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 0.5,
            pl: depth * 2,
            py: 0.25,
            cursor: entry.isVariable ? 'grab' : 'pointer',
            borderRadius: 1,
            bgcolor: selected === entry.nodeId ? 'action.selected' : undefined,
            '&:hover': { bgcolor: 'action.hover' },
            '&:focus-visible': { outline: '2px solid', outlineColor: 'primary.main' },
          }}
        >
          <Box
            component="span"
            onClick={(event) => {
              event.stopPropagation();
              if (expandable) toggle(entry);
            }}
            sx={{ width: 24, display: 'inline-flex', justifyContent: 'center' }}
            aria-hidden
          >
            {expandable && (isOpen ? <ExpandMoreIcon fontSize="small" /> : <ChevronRightIcon fontSize="small" />)}
          </Box>
          {iconOf(entry)}
          <Typography variant="body2" noWrap>
            {entry.displayName}
          </Typography>
          {kids?.loading && <CircularProgress size={12} sx={{ ml: 1 }} />}
        </Box>
        {isOpen && kids && (
          <ul role="group" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {kids.entries.map((child) => renderNode(child, depth + 1, key))}
            {!kids.loading && kids.entries.length === 0 && !kids.error && (
              <li role="none">
                <Typography variant="caption" color="text.secondary" sx={{ pl: (depth + 1) * 2 + 3 }}>
                  {t('commissioning.opcua.noChildren')}
                </Typography>
              </li>
            )}
            {kids.error && (
              <li role="none">
                <Typography
                  variant="caption"
                  color="error"
                  sx={{ pl: (depth + 1) * 2 + 3, display: 'block' }}
                  role="alert"
                >
                  {kids.error}
                </Typography>
                <Button size="small" sx={{ ml: (depth + 1) * 2 + 3 }} onClick={() => void load(entry.nodeId)}>
                  {t('commissioning.opcua.browseAgain')}
                </Button>
              </li>
            )}
            {kids.continuationPoint && !kids.loading && (
              <li role="none">
                <Button
                  size="small"
                  sx={{ ml: (depth + 1) * 2 + 3 }}
                  onClick={() => void load(entry.nodeId, kids.continuationPoint ?? undefined)}
                >
                  {t('commissioning.opcua.loadMore', { shown: kids.entries.length })}
                </Button>
              </li>
            )}
          </ul>
        )}
      </li>
    );
  }

  return (
    <ul
      ref={container}
      role="tree"
      aria-label={t('commissioning.opcua.addressSpace')}
      style={{ listStyle: 'none', margin: 0, padding: 0 }}
    >
      {renderNode(ROOT, 0, '')}
    </ul>
  );
}
