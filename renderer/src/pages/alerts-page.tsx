// Alerts: the active ones (active-alerts-panel.tsx), the history with filters and the last 24
// hours as a chart (both reload as alert events arrive), and the rules.
import AddIcon from '@mui/icons-material/Add';
import {
  Box,
  Button,
  MenuItem,
  Paper,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  TextField,
  Typography,
} from '@mui/material';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_LEVELS, ALERT_STATUSES, type AlertLevel, type AlertStatus } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { roleMay } from '../auth/role-access.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { RowActions } from '../components/row-actions.tsx';
import { DateTimeField } from '../components/date-time-field.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { AlertLevelChip, AlertStatusChip } from '../components/status-chips.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime, formatNumber } from '../i18n/formatters.ts';
import { useActiveAlerts } from '../stores/active-alerts-store.ts';
import { api, useSignedInUser } from '../stores/session-store.ts';
import { ActiveAlertsPanel } from './active-alerts-panel.tsx';
import { AlertRuleDialog } from './alert-rule-dialog.tsx';

const AlertStatisticsChart = lazy(() =>
  import('./alert-statistics-chart.tsx').then((module) => ({ default: module.AlertStatisticsChart })),
);

type AlertRow = ApiOutputs['alerts']['history'][number];
type Rule = ApiOutputs['alerts']['rules']['list'][number];
const TABS = ['active', 'history', 'rules'] as const;
const HISTORY_SETTLE_MS = 1_000;
/** a filter set to "All" (the empty value) says so instead of looking unfilled */
const ALL_SHOWN = { select: { displayEmpty: true }, inputLabel: { shrink: true } } as const;

export default function AlertsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<(typeof TABS)[number]>('active');
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const deviceNames = useMemo(() => new Map((devices.data ?? []).map((d) => [d.id, d.name])), [devices.data]);
  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.alerts')} />
      <Tabs value={tab} onChange={(_event, value: (typeof TABS)[number]) => setTab(value)} sx={{ px: 3 }}>
        {TABS.map((name) => (
          <Tab key={name} value={name} label={t(`alerts.tabs.${name}`)} />
        ))}
      </Tabs>
      {tab === 'active' && <ActiveAlertsPanel deviceNames={deviceNames} />}
      {tab === 'history' && <AlertHistory deviceNames={deviceNames} devices={devices.data ?? []} />}
      {tab === 'rules' && <AlertRules deviceNames={deviceNames} devices={devices.data ?? []} />}
    </Box>
  );
}

function AlertTable({ rows, deviceNames }: { rows: readonly AlertRow[]; deviceNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  return (
    <Table size="small" aria-label={t('nav.alerts')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('alerts.level')}</TableCell>
          <TableCell>{t('alerts.status')}</TableCell>
          <TableCell>{t('alerts.firedAt')}</TableCell>
          <TableCell>{t('alerts.device')}</TableCell>
          <TableCell>{t('alerts.message')}</TableCell>
          <TableCell align="right">{t('alerts.value')}</TableCell>
          <TableCell>{t('alerts.acknowledgedBy')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} hover data-testid="alert-row">
            <TableCell>
              <AlertLevelChip level={row.level} />
            </TableCell>
            <TableCell>
              <AlertStatusChip status={row.status} />
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.firedAt)}</TableCell>
            <TableCell>{(row.deviceId && deviceNames.get(row.deviceId)) ?? '—'}</TableCell>
            <TableCell>{row.message}</TableCell>
            <TableCell align="right">{formatNumber(row.triggeredValue)}</TableCell>
            <TableCell>{row.acknowledgedBy ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function AlertHistory({
  deviceNames,
  devices,
}: {
  deviceNames: ReadonlyMap<string, string>;
  devices: ReadonlyArray<{ id: string; name: string }>;
}) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<AlertLevel | ''>('');
  const [status, setStatus] = useState<AlertStatus | ''>('');
  const [deviceId, setDeviceId] = useState('');
  const [from, setFrom] = useState<Date | undefined>();
  const [to, setTo] = useState<Date | undefined>();
  const changes = useSettledAlertChanges();
  const history = useApiQuery(
    () =>
      api.alerts.history.query({
        ...(level ? { levels: [level] } : {}),
        ...(status ? { statuses: [status] } : {}),
        ...(deviceId ? { deviceId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        limit: 1_000,
      }),
    [level, status, deviceId, from?.getTime(), to?.getTime(), changes],
  );
  const statistics = useApiQuery(() => api.alerts.statistics.query(), [changes]);
  return (
    <>
      <Paper variant="outlined" sx={{ mx: 3, my: 2, p: 2 }}>
        <Typography variant="subtitle1" component="h3">
          {t('alerts.last24h')}
        </Typography>
        {statistics.failure && <FailureState failure={statistics.failure} onRetry={statistics.reload} />}
        {statistics.data?.length === 0 && <EmptyState title={t('alerts.noneIn24h')} />}
        {!!statistics.data?.length && (
          <Suspense fallback={<LoadingState />}>
            <AlertStatisticsChart rows={statistics.data} />
          </Suspense>
        )}
      </Paper>
      <Stack direction="row" spacing={2} useFlexGap sx={{ px: 3, pb: 2, flexWrap: 'wrap', rowGap: 2 }}>
        <TextField
          select
          slotProps={ALL_SHOWN}
          label={t('alerts.level')}
          value={level}
          onChange={(e) => setLevel(e.target.value as AlertLevel)}
          sx={{ width: 150 }}
        >
          <MenuItem value="">{t('common.all')}</MenuItem>
          {ALERT_LEVELS.map((value) => (
            <MenuItem key={value} value={value}>
              {t(`levels.${value}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          slotProps={ALL_SHOWN}
          label={t('alerts.status')}
          value={status}
          onChange={(e) => setStatus(e.target.value as AlertStatus)}
          sx={{ width: 170 }}
        >
          <MenuItem value="">{t('common.all')}</MenuItem>
          {ALERT_STATUSES.map((value) => (
            <MenuItem key={value} value={value}>
              {t(`alertStatus.${value}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          slotProps={ALL_SHOWN}
          label={t('alerts.device')}
          value={deviceId}
          onChange={(e) => setDeviceId(e.target.value)}
          sx={{ width: 200 }}
        >
          <MenuItem value="">{t('common.all')}</MenuItem>
          {devices.map((device) => (
            <MenuItem key={device.id} value={device.id}>
              {device.name}
            </MenuItem>
          ))}
        </TextField>
        <DateTimeField label={t('common.from')} value={from} onChange={setFrom} />
        <DateTimeField label={t('common.to')} value={to} onChange={setTo} />
      </Stack>
      {history.failure && <FailureState failure={history.failure} onRetry={history.reload} />}
      {history.loading && !history.data && <LoadingState />}
      {history.data?.length === 0 && <EmptyState title={t('common.noMatches')} />}
      {!!history.data?.length && <AlertTable rows={history.data} deviceNames={deviceNames} />}
    </>
  );
}

/** Alert events seen so far, once they have paused for a second: the history reloads on it. */
function useSettledAlertChanges(): number {
  const changes = useActiveAlerts((state) => state.changes);
  const [settled, setSettled] = useState(changes);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(changes), HISTORY_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [changes]);
  return settled;
}

function AlertRules({
  deviceNames,
  devices,
}: {
  deviceNames: ReadonlyMap<string, string>;
  devices: ApiOutputs['devices']['list'];
}) {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayConfigure = roleMay(user.role, 'configure-alerts');
  const rules = useApiQuery(() => api.alerts.rules.list.query(), []);
  const tags = useApiQuery(() => api.tags.list.query({ limit: 5_000 }), []);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const tagNames = useMemo(() => new Map((tags.data?.tags ?? []).map((tag) => [tag.id, tag.name])), [tags.data]);
  return (
    <>
      {mayConfigure && (
        <Box sx={{ px: 3, py: 1 }}>
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
            {t('rules.add')}
          </Button>
        </Box>
      )}
      {rules.failure && <FailureState failure={rules.failure} onRetry={rules.reload} />}
      {rules.loading && !rules.data && <LoadingState />}
      {rules.data?.length === 0 && <EmptyState title={t('rules.none')} />}
      {!!rules.data?.length && (
        <Table size="small" aria-label={t('alerts.tabs.rules')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('rules.name')}</TableCell>
              <TableCell>{t('rules.level')}</TableCell>
              <TableCell>{t('rules.device')}</TableCell>
              <TableCell>{t('rules.tag')}</TableCell>
              <TableCell>{t('rules.condition')}</TableCell>
              <TableCell>{t('devices.enabled')}</TableCell>
              {mayConfigure && <TableCell align="right">{t('common.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {rules.data.map((rule) => (
              <TableRow key={rule.id} hover>
                <TableCell>{rule.name}</TableCell>
                <TableCell>
                  <AlertLevelChip level={rule.level} />
                </TableCell>
                <TableCell>{(rule.deviceId && deviceNames.get(rule.deviceId)) ?? '—'}</TableCell>
                <TableCell>{(rule.tagId && tagNames.get(rule.tagId)) ?? '—'}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  {rule.conditionExpression} · {t(`operators.${rule.op}`)}{' '}
                  {rule.op === 'BETWEEN' || rule.op === 'NOT_BETWEEN'
                    ? `${formatNumber(rule.thresholdLow)} … ${formatNumber(rule.thresholdHigh)}`
                    : formatNumber(rule.thresholdValue)}
                </TableCell>
                <TableCell>{rule.enabled ? t('common.yes') : t('common.no')}</TableCell>
                {mayConfigure && (
                  <RowActions
                    editLabel={t('rules.edit', { name: rule.name })}
                    deleteLabel={t('rules.delete', { name: rule.name })}
                    onEdit={() => setEditing(rule)}
                    onDelete={() => setDeleting(rule)}
                  />
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {editing && (
        <AlertRuleDialog
          rule={editing === 'new' ? null : editing}
          devices={devices}
          tags={tags.data?.tags ?? []}
          onClose={(saved) => {
            setEditing(null);
            if (saved) rules.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('rules.delete', { name: deleting.name })}
          text={t('rules.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={() => api.alerts.rules.delete.mutate({ id: deleting.id })}
          onClose={(done) => {
            setDeleting(null);
            if (done) rules.reload();
          }}
        />
      )}
    </>
  );
}
