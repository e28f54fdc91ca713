// Drivers: polling (start/stop, per device status and last error), the installed protocol
// drivers (version, status, last error) and the driver configurations, which can be created,
// changed and deleted (a change applies to the devices at once).
import AddIcon from '@mui/icons-material/Add';
import { Box, Button, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { roleMay } from '../auth/role-access.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { RowActions } from '../components/row-actions.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime, formatNumber } from '../i18n/formatters.ts';
import { api, useSignedInUser } from '../stores/session-store.ts';
import { DriverConfigDialog } from './driver-config-dialog.tsx';
import { DriverPolling, PAGE_TABLE } from './driver-polling.tsx';

type DriverConfig = ApiOutputs['drivers']['configs']['list'][number];

export default function DriversPage() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayConfigure = roleMay(user.role, 'configure-drivers');
  const registry = useApiQuery(() => api.drivers.registry.list.query(), []);
  const configs = useApiQuery(() => api.drivers.configs.list.query(), []);
  const [editing, setEditing] = useState<DriverConfig | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DriverConfig | null>(null);

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.drivers')} />
      <DriverPolling mayControl={mayConfigure} onChanged={registry.reload} />
      <Typography variant="h6" component="h3" sx={{ px: 3 }}>
        {t('drivers.installed')}
      </Typography>
      {registry.failure && <FailureState failure={registry.failure} onRetry={registry.reload} />}
      {registry.loading && !registry.data && <LoadingState />}
      {registry.data?.length === 0 && <EmptyState title={t('drivers.noneInstalled')} />}
      {!!registry.data?.length && (
        <Table size="small" aria-label={t('drivers.installed')} sx={PAGE_TABLE}>
          <TableHead>
            <TableRow>
              <TableCell>{t('devices.protocol')}</TableCell>
              <TableCell>{t('drivers.name')}</TableCell>
              <TableCell>{t('drivers.version')}</TableCell>
              <TableCell>{t('drivers.status')}</TableCell>
              <TableCell>{t('drivers.capabilities')}</TableCell>
              <TableCell>{t('drivers.loadedAt')}</TableCell>
              <TableCell>{t('drivers.lastError')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {registry.data.map((driver) => (
              <TableRow key={driver.protocol}>
                <TableCell>{t(`protocols.${driver.protocol}`)}</TableCell>
                <TableCell>{driver.name}</TableCell>
                <TableCell>{driver.version}</TableCell>
                <TableCell>
                  <Chip size="small" label={driver.status} color={driver.status === 'ERROR' ? 'error' : 'default'} />
                </TableCell>
                <TableCell>{(driver.capabilities ?? []).join(', ') || '—'}</TableCell>
                <TableCell>{formatDateTime(driver.loadedAt)}</TableCell>
                <TableCell sx={{ color: driver.errorMessage ? 'error.main' : undefined }}>
                  {driver.errorMessage ?? '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <Box sx={{ display: 'flex', alignItems: 'center', px: 3, pt: 3 }}>
        <Typography variant="h6" component="h3" sx={{ flexGrow: 1 }}>
          {t('drivers.configs')}
        </Typography>
        {mayConfigure && (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
            {t('drivers.addConfig')}
          </Button>
        )}
      </Box>
      {configs.failure && <FailureState failure={configs.failure} onRetry={configs.reload} />}
      {configs.data?.length === 0 && <EmptyState title={t('drivers.noConfigs')} />}
      {!!configs.data?.length && (
        <Table size="small" aria-label={t('drivers.configs')} sx={PAGE_TABLE}>
          <TableHead>
            <TableRow>
              <TableCell>{t('drivers.configName')}</TableCell>
              <TableCell>{t('devices.protocol')}</TableCell>
              <TableCell>{t('drivers.connectionType')}</TableCell>
              <TableCell align="right">{t('drivers.fields.scanInterval')}</TableCell>
              <TableCell align="right">{t('drivers.fields.timeout')}</TableCell>
              <TableCell align="right">{t('drivers.fields.maxRetries')}</TableCell>
              <TableCell>{t('devices.enabled')}</TableCell>
              {mayConfigure && <TableCell align="right">{t('common.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {configs.data.map((config) => (
              <TableRow key={config.id} hover>
                <TableCell>{config.name}</TableCell>
                <TableCell>{config.protocol}</TableCell>
                <TableCell>{config.connectionType}</TableCell>
                <TableCell align="right">{formatNumber(config.scanInterval)} ms</TableCell>
                <TableCell align="right">{formatNumber(config.timeout)} ms</TableCell>
                <TableCell align="right">{config.maxRetries}</TableCell>
                <TableCell>{config.enabled ? t('common.yes') : t('common.no')}</TableCell>
                {mayConfigure && (
                  <RowActions
                    editLabel={t('drivers.editConfig', { name: config.name })}
                    deleteLabel={t('drivers.deleteConfig', { name: config.name })}
                    onEdit={() => setEditing(config)}
                    onDelete={() => setDeleting(config)}
                  />
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {editing && (
        <DriverConfigDialog
          config={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) configs.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('drivers.deleteConfig', { name: deleting.name })}
          text={t('drivers.deleteConfigConfirm', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={() => api.drivers.configs.delete.mutate({ id: deleting.id })}
          onClose={(done) => {
            setDeleting(null);
            if (done) configs.reload();
          }}
        />
      )}
    </Box>
  );
}
