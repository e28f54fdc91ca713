// Overview: every device with its status, last contact, tag and active alert counts, and the
// gateway's own health.
import {
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
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, FailureState, LoadingState, NotYetAvailable } from '../components/page-states.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { DeviceStatusChip } from '../components/status-chips.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime, formatNumber, formatRelative } from '../i18n/formatters.ts';
import { api } from '../stores/session-store.ts';

const REFRESH_MS = 5_000;

export default function OverviewPage() {
  const { t } = useTranslation();
  const devices = useApiQuery(() => api.devices.overview.query(), []);
  const health = useApiQuery(() => api.system.health.query(), []);
  const { reload: reloadDevices } = devices;
  useEffect(() => {
    const timer = setInterval(reloadDevices, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadDevices]);

  const rows = devices.data ?? [];
  const online = rows.filter((row) => row.status === 'Online').length;
  const alerts = rows.reduce((sum, row) => sum + row.activeAlertCount, 0);
  const tags = rows.reduce((sum, row) => sum + row.tagCount, 0);

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.overview')} />
      <Stack direction="row" spacing={2} sx={{ px: 3, flexWrap: 'wrap', rowGap: 2 }}>
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
      <NotYetAvailable what={t('overview.systemMetrics')} />

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
                <TableCell>
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
