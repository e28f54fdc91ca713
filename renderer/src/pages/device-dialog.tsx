// Create or change a device, with the connection settings of its protocol as form fields:
// Modbus TCP (host, port, unit id), Modbus RTU (serial port and line settings), OPC UA (endpoint
// URL and security), MQTT (broker URL and client), or a plugin's endpoint and JSON settings.
// Settings the form does not show are kept as they are.
import { Alert, Dialog, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { defaultDriverConfigFor } from '../../../common/default-driver-config.ts';
import { PROTOCOL_KINDS, type ProtocolKind } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { initialValues, toDevice, type DeviceFormValues } from './device-form-values.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { FormSelect, FormSwitch } from '../components/form-fields.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api } from '../stores/session-store.ts';
import { FormDialogActions } from '../components/form-dialog-actions.tsx';

type Device = ApiOutputs['devices']['list'][number];
type DriverConfig = ApiOutputs['drivers']['configs']['list'][number];

const BAUD_RATES = [1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600];
const WORD_ORDERS = ['ABCD', 'BADC', 'CDAB', 'DCBA'];
const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'];
const OPCUA_SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'];

const ENDPOINT_FIELD: Record<ProtocolKind, keyof DeviceFormValues> = {
  ModbusTcp: 'host',
  ModbusRtu: 'serialPath',
  OpcUa: 'url',
  Mqtt: 'url',
  Custom: 'endpoint',
};

const FORM_FIELDS = new Set(['name', 'description', 'protocol', 'location', 'enabled']);

interface DeviceDialogProps {
  device: Device | null;
  driverConfigs: readonly DriverConfig[];
  onClose(saved: boolean): void;
}

export function DeviceDialog({ device, driverConfigs, onClose }: DeviceDialogProps) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, control, watch, formState, setError } = useForm<DeviceFormValues>({
    mode: 'onTouched',
    defaultValues: initialValues(device),
  });
  const protocol = watch('protocol');
  // what "no configuration named" means for this protocol, said in the list
  const protocolDefault = defaultDriverConfigFor(protocol, driverConfigs);
  const { errors } = formState;
  const required = { required: t('common.required') };
  const whole = (min: number, max: number) => ({
    valueAsNumber: true as const,
    validate: (value: number) =>
      (Number.isInteger(value) && value >= min && value <= max) || t('common.wholeBetween', { min, max }),
  });

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    const input = toDevice(values, device);
    try {
      if (device) await api.devices.update.mutate({ id: device.id, ...input });
      else await api.devices.create.mutate(input);
      onClose(true);
    } catch (error) {
      const mapField = (field: string) => {
        if (field === 'endpoint') return ENDPOINT_FIELD[values.protocol];
        const modbus = /^config\.modbus\.(\w+)/.exec(field)?.[1];
        if (modbus && modbus in values) return modbus;
        return FORM_FIELDS.has(field) ? field : undefined;
      };
      setFailure(showServerFieldErrors(apiFailure(error), mapField, setError));
    }
  });

  const selectProps = (
    name: keyof DeviceFormValues,
    label: string,
    options: readonly (string | number)[],
    optionLabel: (option: string | number) => string = String,
  ) => (
    <FormSelect
      name={name}
      control={control}
      label={label}
      options={options.map((value) => ({ value, label: optionLabel(value) }))}
    />
  );

  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="sm" fullWidth aria-labelledby="device-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="device-title">
          {device ? t('devices.edit', { name: device.name }) : t('devices.add')}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && (
              <Alert severity="error" role="alert">
                {failure}
              </Alert>
            )}
            <TextField
              label={t('devices.name')}
              required
              autoFocus
              error={!!errors.name}
              helperText={errors.name?.message}
              {...register('name', required)}
            />
            <Stack direction="row" spacing={2}>
              {selectProps('protocol', t('devices.protocol'), PROTOCOL_KINDS, (kind) => t(`protocols.${kind}`))}
              <Controller
                name="driverConfig"
                control={control}
                render={({ field }) => (
                  <TextField
                    select
                    label={t('devices.driverConfig')}
                    {...field}
                    fullWidth
                    slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
                  >
                    <MenuItem value="">
                      {protocolDefault
                        ? t('devices.driverConfigDefaultNamed', { name: protocolDefault.name })
                        : t('devices.driverConfigBuiltIn')}
                    </MenuItem>
                    {driverConfigs
                      .filter((config) => config.protocol === protocol)
                      .map((config) => (
                        <MenuItem key={config.id} value={config.name}>
                          {config.name}
                        </MenuItem>
                      ))}
                  </TextField>
                )}
              />
            </Stack>
            {protocol === 'ModbusTcp' && (
              <Stack direction="row" spacing={2}>
                <TextField
                  label={t('devices.host')}
                  required
                  fullWidth
                  error={!!errors.host}
                  helperText={errors.host?.message}
                  {...register('host', required)}
                />
                <TextField
                  label={t('devices.port')}
                  type="number"
                  sx={{ width: 140 }}
                  error={!!errors.port}
                  helperText={errors.port?.message}
                  {...register('port', whole(1, 65535))}
                />
                <TextField
                  label={t('devices.unitId')}
                  type="number"
                  sx={{ width: 120 }}
                  error={!!errors.unitId}
                  helperText={errors.unitId?.message}
                  {...register('unitId', whole(0, 255))}
                />
              </Stack>
            )}
            {protocol === 'ModbusRtu' && (
              <>
                <Stack direction="row" spacing={2}>
                  <TextField
                    label={t('devices.serialPort')}
                    placeholder="/dev/ttyUSB0, COM3"
                    required
                    fullWidth
                    error={!!errors.serialPath}
                    helperText={errors.serialPath?.message}
                    {...register('serialPath', required)}
                  />
                  <TextField
                    label={t('devices.unitId')}
                    type="number"
                    sx={{ width: 120 }}
                    error={!!errors.unitId}
                    helperText={errors.unitId?.message}
                    {...register('unitId', whole(1, 247))}
                  />
                </Stack>
                <Stack direction="row" spacing={2}>
                  {selectProps('baudRate', t('devices.baudRate'), BAUD_RATES)}
                  {selectProps('dataBits', t('devices.dataBits'), [7, 8])}
                  {selectProps('parity', t('devices.parity'), ['none', 'even', 'odd'])}
                  {selectProps('stopBits', t('devices.stopBits'), [1, 2])}
                </Stack>
              </>
            )}
            {(protocol === 'ModbusTcp' || protocol === 'ModbusRtu') &&
              selectProps('wordOrder', t('devices.wordOrder'), WORD_ORDERS)}
            {protocol === 'OpcUa' && (
              <>
                <TextField
                  label={t('devices.opcuaUrl')}
                  placeholder="opc.tcp://127.0.0.1:4840"
                  required
                  error={!!errors.url}
                  helperText={errors.url?.message}
                  {...register('url', {
                    validate: (value) => /^opc\.tcp:\/\/\S+$/.test(value.trim()) || t('devices.opcuaUrlHint'),
                  })}
                />
                <Stack direction="row" spacing={2}>
                  {selectProps('securityMode', t('devices.securityMode'), OPCUA_SECURITY_MODES)}
                  {selectProps('securityPolicy', t('devices.securityPolicy'), OPCUA_SECURITY_POLICIES)}
                </Stack>
              </>
            )}
            {protocol === 'Mqtt' && (
              <>
                <TextField
                  label={t('devices.brokerUrl')}
                  placeholder="mqtt://127.0.0.1:1883"
                  required
                  error={!!errors.url}
                  helperText={errors.url?.message}
                  {...register('url', {
                    validate: (value) => /^(mqtts?|wss?):\/\/\S+$/.test(value.trim()) || t('devices.brokerUrlHint'),
                  })}
                />
                <Stack direction="row" spacing={2}>
                  <TextField label={t('devices.clientId')} fullWidth {...register('clientId')} />
                  <TextField label={t('devices.brokerUsername')} fullWidth {...register('brokerUsername')} />
                </Stack>
                <FormSwitch name="sparkplugCommands" control={control} label={t('devices.sparkplugCommands')} />
              </>
            )}
            {protocol === 'Custom' && (
              <TextField
                label={t('devices.endpoint')}
                required
                error={!!errors.endpoint}
                helperText={errors.endpoint?.message}
                {...register('endpoint', required)}
              />
            )}
            <TextField label={t('devices.location')} {...register('location')} />
            <TextField label={t('devices.description')} multiline minRows={2} {...register('description')} />
            <TextField
              label={t('devices.extraConfig')}
              multiline
              minRows={2}
              error={!!errors.extraConfig}
              helperText={errors.extraConfig?.message ?? t('devices.extraConfigHint')}
              slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
              {...register('extraConfig', { validate: jsonObjectRule(t('devices.extraConfigInvalid')) })}
            />
            <FormSwitch name="enabled" control={control} label={t('devices.enabled')} />
          </Stack>
        </DialogContent>
        <FormDialogActions onCancel={() => onClose(false)} submitting={formState.isSubmitting} />
      </form>
    </Dialog>
  );
}

function jsonObjectRule(message: string) {
  return (value: string): true | string => {
    if (!value.trim()) return true;
    try {
      const parsed: unknown = JSON.parse(value);
      return (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) || message;
    } catch {
      return message;
    }
  };
}
