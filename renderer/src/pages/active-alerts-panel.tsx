// The alerts that are open now, most severe and newest first, kept live by the alert events.
// A user who may respond selects rows (checkboxes, or the keyboard: ↑/↓, Shift+↑/↓, Space,
// Ctrl+A, Escape) and acknowledges or shelves them with a comment, or ends a shelving; a
// VIEWER sees the list only.
import DoneIcon from '@mui/icons-material/Done';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import SnoozeIcon from '@mui/icons-material/Snooze';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
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
    checkboxes.current.get(ids[next.focus]!)?.focus();
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
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label={t('alerts.activeTable')} data-testid="active-alerts">
            <TableHead>
              <TableRow>
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
              {rows.map((row, index) => (
                <TableRow key={row.id} hover selected={selected.has(row.id)} data-testid="alert-row">
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
                              if (element) checkboxes.current.set(row.id, element);
                              else checkboxes.current.delete(row.id);
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
                  <TableCell>{(row.deviceId && deviceNames.get(row.deviceId)) ?? '—'}</TableCell>
                  <TableCell>{row.message}</TableCell>
                  <TableCell align="right">{formatNumber(row.triggeredValue)}</TableCell>
                  <TableCell>
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
              ))}
            </TableBody>
          </Table>
        </Box>
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
