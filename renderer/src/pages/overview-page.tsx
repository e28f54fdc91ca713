// Overview: every device with its status (live from devices.live), last contact, tag and active
// alert counts, and the gateway's own health, refreshed every few seconds: frames per second,
// event-loop lag, whether the historian is connected, and the WAL backlog of each durable sink.
import {
  Alert,
  Box,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { DeviceStatusChip } from '../components/status-chips.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime, formatNumber, formatRelative } from '../i18n/formatters.ts';
import { api, useSession } from '../stores/session-store.ts';

const REFRESH_MS = 5_000;
const METRICS_MS = 2_000;

type LiveStatus = ReadonlyMap<string, { status: DeviceStatus; reason: string }>;

/** Each device's status as devices.live streams it: a snapshot, then the changes (reopened on sign-in). */
function useLiveDeviceStatus(): LiveStatus {
  const [statuses, setStatuses] = useState<LiveStatus>(new Map());
  const signIns = useSession((session) => session.signIns);
  useEffect(() => {
    const subscription = api.devices.live.subscribe(
      {},
      {
        onData(message) {
          if (message.kind === 'snapshot') {
            setStatuses(new Map(message.devices.map((d) => [d.deviceId, { status: d.status, reason: d.reason }])));
          } else {
            setStatuses((previous) => {
              const next = new Map(previous);
              for (const change of message.changes) {
                next.set(change.deviceId, { status: change.status as DeviceStatus, reason: change.reason });
              }
              return next;
            });
          }
        },
        onError: () => undefined, // the device list (refreshed below) still shows the stored status
      },
    );
    return () => subscription.unsubscribe();
  }, [signIns]);
  return statuses;
}

/** A query repeated every `ms` while the screen is open. */
function usePolledQuery<T>(load: () => Promise<T>, ms: number) {
  const query = useApiQuery(load, []);
  const { reload } = query;
  useEffect(() => {
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
  return query;
}

export default function OverviewPage() {
  const { t } = useTranslation();
  const devices = usePolledQuery(() => api.devices.overview.query(), REFRESH_MS);
  const health = useApiQuery(() => api.system.health.query(), []);
  const metrics = usePolledQuery(() => api.system.metrics.query(), METRICS_MS);
  const historian = usePolledQuery(() => api.trends.status.query(), METRICS_MS);
  const liveStatus = useLiveDeviceStatus();

  const rows = (devices.data ?? []).map((row) => {
    const live = liveStatus.get(row.id);
    return live ? { ...row, status: live.status, reason: live.reason } : { ...row, reason: '' };
  });
  const online = rows.filter((row) => row.status === 'Online').length;
  const alerts = rows.reduce((sum, row) => sum + row.activeAlertCount, 0);
  const tags = rows.reduce((sum, row) => sum + row.tagCount, 0);

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.overview')} />
      <Stack direction="row" spacing={2} useFlexGap sx={{ px: 3, flexWrap: 'wrap', rowGap: 2 }}>
        <Figure label={t('overview.devicesOnline')} value={`${online} / ${rows.length}`} />
        <Figure label={t('overview.tags')} value={formatNumber(tags)} />
        <Figure label={t('overview.activeAlerts')} value={formatNumber(alerts)} alarm={alerts > 0} />
        {health.data && (
          <>
            <Figure
              label={t('overview.database')}
              value={health.data.database.kind === 'pglite' ? t('overview.embeddedDatabase') : 'PostgreSQL'}
            />
            <Figure label={t('overview.uptime')} value={formatRelative(new Date(health.data.startedAt))} />
            <Figure label={t('overview.version')} value={health.data.versions.app} />
          </>
        )}
      </Stack>
      {health.failure && <FailureState failure={health.failure} onRetry={health.reload} />}
      <SystemHealth metrics={metrics.data} historian={historian.data} />
      {metrics.failure && <FailureState failure={metrics.failure} onRetry={metrics.reload} />}

      <Typography variant="h6" component="h3" sx={{ px: 3, pt: 2 }}>
        {t('overview.devices')}
      </Typography>
      {devices.failure && <FailureState failure={devices.failure} onRetry={devices.reload} />}
      {devices.loading && !devices.data && <LoadingState />}
      {devices.data && rows.length === 0 && <EmptyState title={t('overview.noDevices')} />}
      {rows.length > 0 && (
        <Table size="small" sx={{ mx: 3, width: 'auto' }} aria-label={t('overview.devices')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('devices.name')}</TableCell>
              <TableCell>{t('devices.protocol')}</TableCell>
              <TableCell>{t('devices.status')}</TableCell>
              <TableCell>{t('devices.lastSeen')}</TableCell>
              <TableCell align="right">{t('overview.tags')}</TableCell>
              <TableCell align="right">{t('overview.activeAlerts')}</TableCell>
              <TableCell>{t('devices.location')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.id} hover>
                <TableCell>{row.name}</TableCell>
                <TableCell>{t(`protocols.${row.protocol}`)}</TableCell>
                <TableCell title={row.reason || undefined}>
                  <DeviceStatusChip status={row.status} />
                </TableCell>
                <TableCell title={formatDateTime(row.lastSeen)}>{formatRelative(row.lastSeen)}</TableCell>
                <TableCell align="right">
                  {formatNumber(row.enabledTagCount)} / {formatNumber(row.tagCount)}
                </TableCell>
                <TableCell align="right" sx={{ color: row.activeAlertCount ? 'error.main' : undefined }}>
                  {formatNumber(row.activeAlertCount)}
                </TableCell>
                <TableCell>{row.location ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

function Figure({ label, value, alarm }: { label: string; value: string; alarm?: boolean }) {
  return (
    <Card variant="outlined" sx={{ minWidth: 160 }}>
      <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h6" color={alarm ? 'error' : undefined}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

type Metrics = ApiOutputs['system']['metrics'];
type HistorianStatus = ApiOutputs['trends']['status'];

/** Frames per second, event-loop lag, the historian's connection and the WAL backlog per sink. */
function SystemHealth({
  metrics,
  historian,
}: {
  metrics: Metrics | undefined;
  historian: HistorianStatus | undefined;
}) {
  const { t } = useTranslation();
  if (!metrics) return null;
  const lag = metrics.eventLoop.lagP99Ms;
  return (
    <Box sx={{ px: 3, pt: 2 }} data-testid="system-health">
      <Typography variant="h6" component="h3">
        {t('health.title')}
      </Typography>
      <Stack direction="row" spacing={2} useFlexGap sx={{ pt: 1, flexWrap: 'wrap', rowGap: 2 }}>
        <Figure label={t('health.framesPerSecond')} value={formatNumber(metrics.bus.framesInPerSecond, 0)} />
        <Figure label={t('health.eventLoopLag')} value={`${formatNumber(lag, 1)} ms`} alarm={lag > 100} />
        {historian && (
          <Figure
            label={t('health.historian')}
            value={historian.failing ? t('health.historianDown') : t('health.historianUp')}
            alarm={historian.failing}
          />
        )}
        <Figure label={t('health.tagsWithValues')} value={formatNumber(metrics.tagsWithValues)} />
      </Stack>
      {historian?.failing && historian.lastError && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {t('health.historianError', { target: historian.target, error: historian.lastError })}
        </Alert>
      )}
      <Table size="small" sx={{ mt: 2, width: 'auto' }} aria-label={t('health.backlog')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('health.sink')}</TableCell>
            <TableCell align="right">{t('health.backlogFrames')}</TableCell>
            <TableCell align="right">{t('health.backlogAge')}</TableCell>
            <TableCell>{t('health.sinkState')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {metrics.walBacklog.map((sink) => (
            <TableRow key={sink.name}>
              <TableCell>{sink.name}</TableCell>
              <TableCell align="right">{formatNumber(sink.frames)}</TableCell>
              <TableCell align="right">{formatNumber(sink.seconds, 1)} s</TableCell>
              <TableCell sx={{ color: sink.failing ? 'error.main' : undefined }}>
                {sink.failing ? t('health.sinkFailing', { error: sink.lastError ?? '' }) : t('health.sinkOk')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
