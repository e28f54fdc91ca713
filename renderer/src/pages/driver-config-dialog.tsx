// Create or change a driver configuration: the timing, retry, logging and TLS settings that the
// devices of one protocol share (a device names one with config.driverConfig).
import { Alert, Box, Dialog, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PROTOCOL_KINDS } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { FormSelect, FormSwitch, plainOptions } from '../components/form-fields.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api } from '../stores/session-store.ts';
import { FormDialogActions } from '../components/form-dialog-actions.tsx';

type DriverConfig = ApiOutputs['drivers']['configs']['list'][number];
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
const CONNECTION_TYPES = ['tcp', 'serial', 'tls', 'websocket'];

interface DriverConfigValues {
  name: string;
  description: string;
  protocol: string;
  connectionType: string;
  enabled: boolean;
  scanInterval: number;
  timeout: number;
  maxConcurrent: number;
  batchSize: number;
  maxRetries: number;
  retryInterval: number;
  exponentialBackoff: boolean;
  maxRetryInterval: number;
  logLevel: (typeof LOG_LEVELS)[number];
  enableRequestLog: boolean;
  enableResponseLog: boolean;
  enableSsl: boolean;
  verifyCertificate: boolean;
  clientCertPath: string;
  clientKeyPath: string;
  caCertPath: string;
}

const NUMBER_FIELDS = [
  ['scanInterval', 1],
  ['timeout', 1],
  ['maxConcurrent', 1],
  ['batchSize', 1],
  ['maxRetries', 0],
  ['retryInterval', 0],
  ['maxRetryInterval', 0],
] as const;
const SWITCHES = [
  'enabled',
  'exponentialBackoff',
  'enableRequestLog',
  'enableResponseLog',
  'enableSsl',
  'verifyCertificate',
] as const;

function initialValues(config: DriverConfig | null): DriverConfigValues {
  return {
    name: config?.name ?? '',
    description: config?.description ?? '',
    protocol: config?.protocol ?? 'ModbusTcp',
    connectionType: config?.connectionType ?? 'tcp',
    enabled: config?.enabled ?? true,
    scanInterval: config?.scanInterval ?? 1000,
    timeout: config?.timeout ?? 5000,
    maxConcurrent: config?.maxConcurrent ?? 10,
    batchSize: config?.batchSize ?? 100,
    maxRetries: config?.maxRetries ?? 3,
    retryInterval: config?.retryInterval ?? 1000,
    exponentialBackoff: config?.exponentialBackoff ?? true,
    maxRetryInterval: config?.maxRetryInterval ?? 30000,
    logLevel: (config?.logLevel ?? 'INFO') as DriverConfigValues['logLevel'],
    enableRequestLog: config?.enableRequestLog ?? false,
    enableResponseLog: config?.enableResponseLog ?? false,
    enableSsl: config?.enableSsl ?? false,
    verifyCertificate: config?.verifyCertificate ?? true,
    clientCertPath: config?.clientCertPath ?? '',
    clientKeyPath: config?.clientKeyPath ?? '',
    caCertPath: config?.caCertPath ?? '',
  };
}

const ALL_FIELDS = Object.keys(initialValues(null));

export function DriverConfigDialog({
  config,
  onClose,
}: {
  config: DriverConfig | null;
  onClose(saved: boolean): void;
}) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, control, handleSubmit, watch, formState, setError } = useForm<DriverConfigValues>({
    mode: 'onTouched',
    defaultValues: initialValues(config),
  });
  const { errors } = formState;
  const enableSsl = watch('enableSsl');
  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (config) await api.drivers.configs.update.mutate({ id: config.id, ...values });
      else await api.drivers.configs.create.mutate(values);
      onClose(true);
    } catch (error) {
      setFailure(showServerFieldErrors(apiFailure(error), ALL_FIELDS, setError));
    }
  });
  const select = (name: Path<DriverConfigValues>, label: string, options: readonly string[]) => (
    <FormSelect name={name} control={control} label={label} options={plainOptions(options)} />
  );
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="md" fullWidth aria-labelledby="driver-config-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="driver-config-title">
          {config ? t('drivers.editConfig', { name: config.name }) : t('drivers.addConfig')}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && <Alert severity="error">{failure}</Alert>}
            <Stack direction="row" spacing={2}>
              <TextField
                label={t('drivers.configName')}
                required
                autoFocus
                fullWidth
                error={!!errors.name}
                helperText={errors.name?.message}
                {...register('name', { required: t('common.required') })}
              />
              {select('protocol', t('devices.protocol'), PROTOCOL_KINDS)}
              {select('connectionType', t('drivers.connectionType'), CONNECTION_TYPES)}
            </Stack>
            <TextField label={t('devices.description')} {...register('description')} />
            <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', rowGap: 2 }}>
              {NUMBER_FIELDS.map(([name, min]) => (
                <TextField
                  key={name}
                  label={t(`drivers.fields.${name}`)}
                  type="number"
                  sx={{ width: 170 }}
                  error={!!errors[name]}
                  helperText={errors[name]?.message}
                  {...register(name, {
                    valueAsNumber: true,
                    validate: (value) =>
                      (Number.isInteger(value) && value >= min && value <= 2_147_483_647) ||
                      t('common.wholeAtLeast', { min }),
                  })}
                />
              ))}
              <Box sx={{ width: 170 }}>{select('logLevel', t('drivers.fields.logLevel'), LOG_LEVELS)}</Box>
            </Stack>
            <Stack direction="row" sx={{ flexWrap: 'wrap' }}>
              {SWITCHES.map((name) => (
                <FormSwitch key={name} name={name} control={control} label={t(`drivers.fields.${name}`)} />
              ))}
            </Stack>
            {enableSsl && (
              <Stack direction="row" spacing={2}>
                <TextField label={t('drivers.fields.caCertPath')} fullWidth {...register('caCertPath')} />
                <TextField label={t('drivers.fields.clientCertPath')} fullWidth {...register('clientCertPath')} />
                <TextField label={t('drivers.fields.clientKeyPath')} fullWidth {...register('clientKeyPath')} />
              </Stack>
            )}
          </Stack>
        </DialogContent>
        <FormDialogActions onCancel={() => onClose(false)} submitting={formState.isSubmitting} />
      </form>
    </Dialog>
  );
}
