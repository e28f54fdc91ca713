// The serial port picker: the ports of the gateway's computer with their manufacturer and serial
// number (which USB-RS485 adapter is which), a refresh, a "no ports found" state, and a path that
// can always be typed (a pty, or when listing fails).
import RefreshIcon from '@mui/icons-material/Refresh';
import { Autocomplete, Box, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../components/use-api-query.ts';
import { api } from '../../stores/session-store.ts';

export function SerialPortPicker({ value, onChange }: { value: string; onChange(path: string): void }) {
  const { t } = useTranslation();
  const ports = useApiQuery(() => api.commissioning.serialPorts.query(), []);
  const options = ports.data ?? [];
  const helper = ports.failure
    ? ports.failure.message
    : ports.loading
      ? t('commissioning.serial.listing')
      : options.length === 0
        ? t('commissioning.serial.none')
        : t('commissioning.serial.found', { count: options.length });
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', flexGrow: 1, minWidth: 260 }}>
      <Autocomplete
        freeSolo
        fullWidth
        options={options.map((port) => port.path)}
        inputValue={value}
        onInputChange={(_, path) => onChange(path)}
        renderOption={(props, path) => {
          const port = options.find((p) => p.path === path);
          const { key, ...rest } = props as typeof props & { key: string };
          return (
            <Box
              component="li"
              key={key}
              {...rest}
              sx={{ flexDirection: 'column', alignItems: 'flex-start !important' }}
            >
              <Typography sx={{ fontFamily: 'monospace' }}>{path}</Typography>
              <Typography variant="caption" color="text.secondary">
                {[
                  port?.manufacturer,
                  port?.serialNumber && t('commissioning.serial.serialNumber', { serial: port.serialNumber }),
                  port?.vendorId && `${port.vendorId}:${port.productId ?? ''}`,
                ]
                  .filter(Boolean)
                  .join(' · ') || t('commissioning.serial.noDetails')}
              </Typography>
            </Box>
          );
        }}
        renderInput={(params) => (
          <TextField
            {...params}
            label={t('commissioning.serial.port')}
            required
            error={!!ports.failure}
            helperText={helper}
            placeholder="/dev/ttyUSB0"
          />
        )}
      />
      <Tooltip title={t('commissioning.serial.refresh')}>
        <span>
          <IconButton
            onClick={ports.reload}
            disabled={ports.loading}
            aria-label={t('commissioning.serial.refresh')}
            sx={{ mt: 1 }}
          >
            <RefreshIcon />
          </IconButton>
        </span>
      </Tooltip>
    </Stack>
  );
}
