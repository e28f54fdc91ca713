// Colour-coded chips for device status, alert level and alert status, worded in the UI language.
import { Chip } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { AlertLevel, AlertStatus, DeviceStatus } from '../../../common/enums.ts';

const DEVICE_COLOURS = {
  Online: 'success',
  Offline: 'default',
  Error: 'error',
  Maintenance: 'info',
  Unknown: 'default',
} as const satisfies Record<DeviceStatus, string>;

const LEVEL_COLOURS = {
  INFO: 'info',
  WARNING: 'warning',
  CRITICAL: 'error',
  FATAL: 'error',
} as const satisfies Record<AlertLevel, string>;

const ALERT_STATUS_COLOURS = {
  ACTIVE: 'error',
  ACKNOWLEDGED: 'warning',
  RESOLVED: 'success',
  SUPPRESSED: 'default',
} as const satisfies Record<AlertStatus, string>;

export function DeviceStatusChip({ status }: { status: DeviceStatus }) {
  const { t } = useTranslation();
  return <Chip size="small" color={DEVICE_COLOURS[status]} label={t(`deviceStatus.${status}`)} />;
}

export function AlertLevelChip({ level }: { level: AlertLevel }) {
  const { t } = useTranslation();
  return (
    <Chip
      size="small"
      color={LEVEL_COLOURS[level]}
      variant={level === 'FATAL' ? 'filled' : 'outlined'}
      label={t(`levels.${level}`)}
    />
  );
}

export function AlertStatusChip({ status }: { status: AlertStatus }) {
  const { t } = useTranslation();
  return (
    <Chip size="small" color={ALERT_STATUS_COLOURS[status]} variant="outlined" label={t(`alertStatus.${status}`)} />
  );
}
