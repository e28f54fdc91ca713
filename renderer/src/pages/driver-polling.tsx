// The driver manager at work, on the drivers screen: whether the drivers poll (start/stop, after
// confirmation), and per device its status, what its polling does and the last error in words,
// with stop/start of one device. Hidden controls for roles that may not control drivers; the
// gateway refuses them anyway.
import PauseIcon from '@mui/icons-material/Pause';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import {
  Box,
  Button,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { FailureState, LoadingState } from '../components/page-states.tsx';
import { DeviceStatusChip } from '../components/status-chips.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatRelative } from '../i18n/formatters.ts';
import { api } from '../stores/session-store.ts';

type DeviceStatus = ApiOutputs['drivers']['status']['devices'][number];

type Pending = { kind: 'all'; start: boolean } | { kind: 'device'; device: DeviceStatus; start: boolean };

const REFRESH_MS = 2_000;
/** the page's tables line up with its headings (24 px in from both sides) */
export const PAGE_TABLE = { mx: 3, width: 'calc(100% - 48px)' } as const;

export function DriverPolling({ mayControl, onChanged }: { mayControl: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const status = useApiQuery(() => api.drivers.status.query(), []);
  const [pending, setPending] = useState<Pending | null>(null);
  const { reload } = status;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const started = status.data?.started ?? false;
  return (
    <Box sx={{ pb: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 3 }}>
        <Typography variant="h6" component="h3">
          {t('polling.title')}
        </Typography>
        {status.data && (
          <Chip
            size="small"
            data-testid="polling-state"
            label={started ? t('polling.running') : t('polling.stopped')}
            color={started ? 'success' : 'default'}
          />
        )}
        <Box sx={{ flexGrow: 1 }} />
        {mayControl && status.data && (
          <Button
            variant="outlined"
            color={started ? 'warning' : 'primary'}
            startIcon={started ? <PauseIcon /> : <PlayArrowIcon />}
            onClick={() => setPending({ kind: 'all', start: !started })}
          >
            {started ? t('polling.stopAll') : t('polling.startAll')}
          </Button>
        )}
      </Box>
      {status.failure && <FailureState failure={status.failure} onRetry={status.reload} />}
      {status.loading && !status.data && <LoadingState />}
      {status.data && (
        <Table size="small" aria-label={t('polling.title')} sx={PAGE_TABLE}>
          <TableHead>
            <TableRow>
              <TableCell>{t('devices.name')}</TableCell>
              <TableCell>{t('devices.protocol')}</TableCell>
              <TableCell>{t('devices.status')}</TableCell>
              <TableCell>{t('polling.state')}</TableCell>
              <TableCell>{t('polling.driverConfig')}</TableCell>
              <TableCell>{t('devices.lastSeen')}</TableCell>
              <TableCell>{t('drivers.lastError')}</TableCell>
              {mayControl && <TableCell align="right">{t('common.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {status.data.devices.map((device) => {
              const paused = device.polling === 'stopped by user';
              return (
                <TableRow key={device.deviceId}>
                  <TableCell>{device.name}</TableCell>
                  <TableCell>{t(`protocols.${device.protocol}`)}</TableCell>
                  <TableCell>
                    <DeviceStatusChip status={device.status} />
                  </TableCell>
                  <TableCell>{t(`polling.states.${device.polling}`, { defaultValue: device.polling })}</TableCell>
                  <TableCell>{device.runtime?.driverConfig ?? '—'}</TableCell>
                  <TableCell>{formatRelative(device.lastSeen ? new Date(device.lastSeen) : null)}</TableCell>
                  <TableCell sx={{ color: device.reason ? 'error.main' : undefined, maxWidth: 360 }}>
                    {device.reason || '—'}
                  </TableCell>
                  {mayControl && (
                    <TableCell align="right">
                      {(paused || device.runtime) && started && (
                        <Tooltip
                          title={
                            paused
                              ? t('polling.startDevice', { name: device.name })
                              : t('polling.stopDevice', { name: device.name })
                          }
                        >
                          <IconButton
                            aria-label={
                              paused
                                ? t('polling.startDevice', { name: device.name })
                                : t('polling.stopDevice', { name: device.name })
                            }
                            onClick={() => setPending({ kind: 'device', device, start: paused })}
                          >
                            {paused ? <PlayArrowIcon /> : <PauseIcon />}
                          </IconButton>
                        </Tooltip>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {pending && (
        <ConfirmDialog
          title={
            pending.kind === 'all'
              ? pending.start
                ? t('polling.startAll')
                : t('polling.stopAll')
              : pending.start
                ? t('polling.startDevice', { name: pending.device.name })
                : t('polling.stopDevice', { name: pending.device.name })
          }
          text={
            pending.kind === 'all'
              ? pending.start
                ? t('polling.startAllConfirm')
                : t('polling.stopAllConfirm')
              : pending.start
                ? t('polling.startDeviceConfirm', { name: pending.device.name })
                : t('polling.stopDeviceConfirm', { name: pending.device.name })
          }
          confirmLabel={pending.start ? t('polling.start') : t('polling.stop')}
          danger={!pending.start}
          onConfirm={() =>
            pending.kind === 'all'
              ? pending.start
                ? api.drivers.start.mutate()
                : api.drivers.stop.mutate()
              : pending.start
                ? api.drivers.startDevice.mutate({ id: pending.device.deviceId })
                : api.drivers.stopDevice.mutate({ id: pending.device.deviceId })
          }
          onClose={(done) => {
            setPending(null);
            if (done) {
              status.reload();
              onChanged();
            }
          }}
        />
      )}
    </Box>
  );
}
