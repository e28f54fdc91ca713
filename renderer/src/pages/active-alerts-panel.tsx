// The alerts that are open now, most severe and newest first, kept live by the alert events.
// A user who may respond selects rows (checkboxes, or the keyboard: ↑/↓, Shift+↑/↓, Space,
// Ctrl+A, Escape) and acknowledges or shelves them with a comment, or ends a shelving; a
// VIEWER sees the list only. An alert storm can leave thousands open: only the rows in view are
// in the page (@tanstack/react-virtual, rows measured as they render since captions make some
// taller), in a table with fixed column widths so that the columns stay put while it scrolls.
import DoneIcon from '@mui/icons-material/Done';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import SnoozeIcon from '@mui/icons-material/Snooze';
import {
  Alert,
  Button,
  Checkbox,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { roleMay } from '../auth/role-access.ts';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { AlertLevelChip, AlertStatusChip } from '../components/status-chips.tsx';
import { formatDateTime, formatNumber } from '../i18n/formatters.ts';
import { useActiveAlerts, watchActiveAlerts, type ActiveAlert } from '../stores/active-alerts-store.ts';
import { api, useSession, useSignedInUser } from '../stores/session-store.ts';
import { afterSelectionKey, keepListed, toggled } from './alert-selection.ts';
import { AlertResponseDialog, type AlertResponse } from './alert-response-dialog.tsx';

const SEVERITY = { FATAL: 0, CRITICAL: 1, WARNING: 2, INFO: 3 } as const;
/** a row with one line of text; rows with captions are measured when they render */
const ROW_ESTIMATE = 53;
// Widths at 14 px with 6 px cell padding: a checkbox, a level chip, an "Acknowledged" chip, a
// date-time on one line; the message takes the rest.
const WIDTHS = { select: 56, level: 84, status: 128, firedAt: 176, device: 110, value: 80, by: 130, actions: 92 };

/** Most severe first, then newest first (the engine sends them so; a reload keeps it so). */
function byLevelThenTime(a: ActiveAlert, b: ActiveAlert): number {
  return SEVERITY[a.level] - SEVERITY[b.level] || b.firedAt.getTime() - a.firedAt.getTime();
}

const acknowledgeable = (alert: ActiveAlert) => alert.acknowledgedBy === null;
const shelvable = (alert: ActiveAlert) => alert.status !== 'SUPPRESSED';
const shelved = (alert: ActiveAlert) => alert.status === 'SUPPRESSED';

export function ActiveAlertsPanel({ deviceNames }: { deviceNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayRespond = roleMay(user.role, 'respond-to-alerts');
  const offline = useSession((state) => state.offline);
  const { alerts, failure, streamFailure, reload } = useActiveAlerts();
  useEffect(() => watchActiveAlerts(), []);
  const rows = useMemo(() => [...(alerts ?? [])].sort(byLevelThenTime), [alerts]);
  const ids = useMemo(() => rows.map((row) => row.id), [rows]);

  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState(-1);
  const selected = useMemo(() => keepListed(picked, ids), [picked, ids]);
  const chosen = rows.filter((row) => selected.has(row.id));
  const [responding, setResponding] = useState<{ action: AlertResponse; alerts: ActiveAlert[] } | null>(null);
  const [unshelveFailure, setUnshelveFailure] = useState<ReturnType<typeof apiFailure> | null>(null);
  const checkboxes = useRef(new Map<string, HTMLInputElement>());
  /** a row the keyboard moved to that was not in the page yet: its checkbox takes focus when it renders */
  const pendingFocus = useRef<string | undefined>(undefined);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (index) => rows[index]!.id,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const spaceBefore = items[0]?.start ?? 0;
  const spaceAfter = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));

  const allSelected = rows.length > 0 && selected.size === rows.length;
  const respond = (action: AlertResponse, targets: ActiveAlert[]) => setResponding({ action, alerts: targets });

  async function unshelve(targets: readonly ActiveAlert[]) {
    setUnshelveFailure(null);
    for (const alert of targets) {
      try {
        await api.alerts.unshelve.mutate({ id: alert.id });
      } catch (error) {
        setUnshelveFailure(apiFailure(error));
      }
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    const next = afterSelectionKey({ selected, focus }, ids, event);
    if (!next) return;
    event.preventDefault();
    setPicked(next.selected);
    setFocus(next.focus);
    const id = ids[next.focus]!;
    const checkbox = checkboxes.current.get(id);
    if (checkbox) checkbox.focus();
    else pendingFocus.current = id;
    virtualizer.scrollToIndex(next.focus);
  }

  const toolbar = mayRespond && rows.length > 0 && (
    <Stack direction="row" spacing={1} sx={{ px: 3, py: 1, alignItems: 'center' }}>
      <Button
        variant="contained"
        startIcon={<DoneIcon />}
        disabled={!chosen.some(acknowledgeable)}
        onClick={() => respond('acknowledge', chosen.filter(acknowledgeable))}
      >
        {t('alerts.acknowledgeSelected', { count: chosen.filter(acknowledgeable).length })}
      </Button>
      <Button
        startIcon={<SnoozeIcon />}
        disabled={!chosen.some(shelvable)}
        onClick={() => respond('shelve', chosen.filter(shelvable))}
      >
        {t('alerts.shelveSelected', { count: chosen.filter(shelvable).length })}
      </Button>
      <Button
        startIcon={<NotificationsActiveIcon />}
        disabled={!chosen.some(shelved)}
        onClick={() => void unshelve(chosen.filter(shelved))}
      >
        {t('alerts.unshelveSelected', { count: chosen.filter(shelved).length })}
      </Button>
      <Typography variant="body2" color="text.secondary" sx={{ pl: 1 }}>
        {t('alerts.selectionHint')}
      </Typography>
    </Stack>
  );

  return (
    <>
      {offline && alerts && (
        <Alert severity="warning" sx={{ mx: 3, mt: 2 }} role="status">
          {t('alerts.offlineList')}
        </Alert>
      )}
      {streamFailure && !offline && (
        <Alert severity="warning" sx={{ mx: 3, mt: 2 }} role="status">
          {t('alerts.streamStopped', { message: streamFailure.message })}
        </Alert>
      )}
      {failure && <FailureState failure={failure} onRetry={reload} />}
      {unshelveFailure && <FailureState failure={unshelveFailure} />}
      {!alerts && !failure && <LoadingState />}
      {alerts && rows.length === 0 && <EmptyState title={t('alerts.noneActive')} />}
      {toolbar}
      {rows.length > 0 && (
        <TableContainer ref={scroller} sx={{ maxHeight: 'max(320px, calc(100vh - 250px))' }}>
          <Table
            stickyHeader
            size="small"
            aria-label={t('alerts.activeTable')}
            aria-rowcount={rows.length + 1}
            data-testid="active-alerts"
            sx={{
              tableLayout: 'fixed',
              '& th:not(.MuiTableCell-paddingCheckbox), & td:not(.MuiTableCell-paddingCheckbox)': { px: '6px' },
            }}
          >
            <colgroup>
              {mayRespond && <col style={{ width: WIDTHS.select }} />}
              <col style={{ width: WIDTHS.level }} />
              <col style={{ width: WIDTHS.status }} />
              <col style={{ width: WIDTHS.firedAt }} />
              <col style={{ width: WIDTHS.device }} />
              <col />
              <col style={{ width: WIDTHS.value }} />
              <col style={{ width: WIDTHS.by }} />
              {mayRespond && <col style={{ width: WIDTHS.actions }} />}
            </colgroup>
            <TableHead>
              <TableRow aria-rowindex={1}>
                {mayRespond && (
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={allSelected}
                      indeterminate={selected.size > 0 && !allSelected}
                      onChange={() => setPicked(allSelected ? new Set() : new Set(ids))}
                      slotProps={{ input: { 'aria-label': t('alerts.selectAll') } }}
                    />
                  </TableCell>
                )}
                <TableCell>{t('alerts.level')}</TableCell>
                <TableCell>{t('alerts.status')}</TableCell>
                <TableCell>{t('alerts.firedAt')}</TableCell>
                <TableCell>{t('alerts.device')}</TableCell>
                <TableCell>{t('alerts.message')}</TableCell>
                <TableCell align="right">{t('alerts.value')}</TableCell>
                <TableCell>{t('alerts.acknowledgedBy')}</TableCell>
                {mayRespond && <TableCell align="right">{t('common.actions')}</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody onKeyDown={mayRespond ? onKeyDown : undefined}>
              {spaceBefore > 0 && <tr aria-hidden style={{ height: spaceBefore }} />}
              {items.map(({ index }) => {
                const row = rows[index]!;
                return (
                  <TableRow
                    key={row.id}
                    ref={virtualizer.measureElement}
                    data-index={index}
                    aria-rowindex={index + 2}
                    hover
                    selected={selected.has(row.id)}
                    data-testid="alert-row"
                  >
                    {mayRespond && (
                      <TableCell padding="checkbox">
                        <Checkbox
                          checked={selected.has(row.id)}
                          onChange={() => setPicked(toggled(selected, row.id))}
                          onFocus={() => setFocus(index)}
                          slotProps={{
                            input: {
                              'aria-label': t('alerts.select', { message: row.message }),
                              ref: (element: HTMLInputElement | null) => {
                                if (!element) {
                                  checkboxes.current.delete(row.id);
                                  return;
                                }
                                checkboxes.current.set(row.id, element);
                                if (pendingFocus.current === row.id) {
                                  pendingFocus.current = undefined;
                                  element.focus();
                                }
                              },
                            },
                          }}
                        />
                      </TableCell>
                    )}
                    <TableCell>
                      <AlertLevelChip level={row.level} />
                    </TableCell>
                    <TableCell>
                      <AlertStatusChip status={row.status} />
                      {row.shelvedUntil && (
                        <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                          {t('alerts.shelvedUntil', { time: formatDateTime(row.shelvedUntil), user: row.shelvedBy })}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.firedAt)}</TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>
                      {(row.deviceId && deviceNames.get(row.deviceId)) ?? '—'}
                    </TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>{row.message}</TableCell>
                    <TableCell align="right">{formatNumber(row.triggeredValue)}</TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>
                      {row.acknowledgedBy ?? '—'}
                      {row.acknowledgedAt && (
                        <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                          {formatDateTime(row.acknowledgedAt)}
                        </Typography>
                      )}
                    </TableCell>
                    {mayRespond && (
                      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                        {acknowledgeable(row) && (
                          <Tooltip title={t('alerts.acknowledge')}>
                            <IconButton
                              aria-label={t('alerts.acknowledgeOne', { message: row.message })}
                              onClick={() => respond('acknowledge', [row])}
                            >
                              <DoneIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        )}
                        {shelvable(row) ? (
                          <Tooltip title={t('alerts.shelve')}>
                            <IconButton
                              aria-label={t('alerts.shelveOne', { message: row.message })}
                              onClick={() => respond('shelve', [row])}
                            >
                              <SnoozeIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        ) : (
                          <Tooltip title={t('alerts.unshelve')}>
                            <IconButton
                              aria-label={t('alerts.unshelveOne', { message: row.message })}
                              onClick={() => void unshelve([row])}
                            >
                              <NotificationsActiveIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
              {spaceAfter > 0 && <tr aria-hidden style={{ height: spaceAfter }} />}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {responding && (
        <AlertResponseDialog
          action={responding.action}
          alerts={responding.alerts}
          onClose={() => {
            setResponding(null);
            setPicked(new Set());
          }}
        />
      )}
    </>
  );
}
