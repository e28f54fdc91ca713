// Devices: list, create, change, delete (with confirmation), import and export.
import AddIcon from '@mui/icons-material/Add';
import UploadIcon from '@mui/icons-material/Upload';
import { Alert, Box, Button, Table, TableBody, TableCell, TableHead, TableRow, TextField } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { roleMay } from '../auth/role-access.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { RowActions } from '../components/row-actions.tsx';
import { ExportMenu } from '../components/export-menu.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { DeviceStatusChip } from '../components/status-chips.tsx';
import { ImportDialog } from '../components/transfer-dialog.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime, formatRelative } from '../i18n/formatters.ts';
import { api, useSignedInUser } from '../stores/session-store.ts';
import { DeviceDialog } from './device-dialog.tsx';

type Device = ApiOutputs['devices']['list'][number];

export default function DevicesPage() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const mayConfigure = roleMay(user.role, 'configure-devices');
  const [search, setSearch] = useState('');
  const devices = useApiQuery(() => api.devices.list.query(search ? { search } : undefined), [search]);
  const driverConfigs = useApiQuery(() => api.drivers.configs.list.query(), []);
  const [editing, setEditing] = useState<Device | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Device | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.devices')}>
        <TextField
          label={t('common.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          sx={{ width: 240 }}
        />
        {mayConfigure && (
          <>
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
              {t('devices.add')}
            </Button>
            <Button startIcon={<UploadIcon />} onClick={() => setImporting(true)}>
              {t('transfer.import')}
            </Button>
          </>
        )}
        <ExportMenu run={(format) => api.devices.export.query({ format })} onFailure={setNotice} />
      </PageHeader>
      {notice && (
        <Alert severity="error" onClose={() => setNotice(null)} sx={{ mx: 3 }}>
          {notice}
        </Alert>
      )}
      {devices.failure && <FailureState failure={devices.failure} onRetry={devices.reload} />}
      {devices.loading && !devices.data && <LoadingState />}
      {devices.data?.length === 0 && (
        <EmptyState title={search ? t('common.noMatches') : t('devices.none')}>
          {mayConfigure && !search && t('devices.noneHint')}
        </EmptyState>
      )}
      {!!devices.data?.length && (
        <Table size="small" aria-label={t('nav.devices')} sx={{ px: 3 }}>
          <TableHead>
            <TableRow>
              <TableCell>{t('devices.name')}</TableCell>
              <TableCell>{t('devices.protocol')}</TableCell>
              <TableCell>{t('devices.endpoint')}</TableCell>
              <TableCell>{t('devices.status')}</TableCell>
              <TableCell>{t('devices.lastSeen')}</TableCell>
              <TableCell>{t('devices.enabled')}</TableCell>
              <TableCell>{t('devices.location')}</TableCell>
              {mayConfigure && <TableCell align="right">{t('common.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {devices.data.map((device) => (
              <TableRow key={device.id} hover>
                <TableCell>{device.name}</TableCell>
                <TableCell>{t(`protocols.${device.protocol}`)}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{device.endpoint}</TableCell>
                <TableCell>
                  <DeviceStatusChip status={device.status} />
                </TableCell>
                <TableCell title={formatDateTime(device.lastSeen)}>{formatRelative(device.lastSeen)}</TableCell>
                <TableCell>{device.enabled ? t('common.yes') : t('common.no')}</TableCell>
                <TableCell>{device.location ?? '—'}</TableCell>
                {mayConfigure && (
                  <RowActions
                    editLabel={t('devices.edit', { name: device.name })}
                    deleteLabel={t('devices.delete', { name: device.name })}
                    onEdit={() => setEditing(device)}
                    onDelete={() => setDeleting(device)}
                  />
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {editing && (
        <DeviceDialog
          device={editing === 'new' ? null : editing}
          driverConfigs={driverConfigs.data ?? []}
          onClose={(saved) => {
            setEditing(null);
            if (saved) devices.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('devices.delete', { name: deleting.name })}
          text={t('devices.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={() => api.devices.delete.mutate({ id: deleting.id })}
          onClose={(done) => {
            setDeleting(null);
            if (done) devices.reload();
          }}
        />
      )}
      {importing && (
        <ImportDialog
          what={t('nav.devices')}
          run={(input) => api.devices.import.mutate(input)}
          onClose={(imported) => {
            setImporting(false);
            if (imported) devices.reload();
          }}
        />
      )}
    </Box>
  );
}
