// Create or change a device, with the connection settings of its protocol as form fields:
// Modbus TCP (host, port, unit id), Modbus RTU (serial port and line settings), OPC UA (endpoint
// URL and security), MQTT (broker URL and client), or a plugin's endpoint and JSON settings.
// Settings the form does not show are kept as they are.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PROTOCOL_KINDS, type ProtocolKind } from '../../../common/enums.ts';
import type { ApiInputs, ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api } from '../stores/session-store.ts';

type Device = ApiOutputs['devices']['list'][number];
type DriverConfig = ApiOutputs['drivers']['configs']['list'][number];
type JsonObject = Record<string, unknown>;

const BAUD_RATES = [1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600];
const WORD_ORDERS = ['ABCD', 'BADC', 'CDAB', 'DCBA'];
const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'];
const OPCUA_SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'];

interface DeviceFormValues {
  name: string;
  description: string;
  protocol: ProtocolKind;
  location: string;
  enabled: boolean;
  driverConfig: string;
  host: string;
  port: number;
  serialPath: string;
  unitId: number;
  baudRate: number;
  dataBits: number;
  parity: string;
  stopBits: number;
  wordOrder: string;
  url: string;
  securityMode: string;
  securityPolicy: string;
  clientId: string;
  brokerUsername: string;
  endpoint: string;
  extraConfig: string;
}

function section(config: JsonObject, key: string): JsonObject {
  const value = config[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

function initialValues(device: Device | null): DeviceFormValues {
  const config = (device?.config ?? {}) as JsonObject;
  const modbus = section(config, 'modbus');
  const opcua = section(config, 'opcua');
  const mqtt = section(config, 'mqtt');
  const protocol = device?.protocol ?? 'ModbusTcp';
  const endpoint = device?.endpoint ?? '';
  const [host, port] = protocol === 'ModbusTcp' ? splitHostPort(endpoint) : ['127.0.0.1', 502];
  const { driverConfig: _d, modbus: _m, opcua: _o, mqtt: _q, ...extra } = config;
  return {
    name: device?.name ?? '',
    description: device?.description ?? '',
    protocol,
    location: device?.location ?? '',
    enabled: device?.enabled ?? true,
    driverConfig: typeof config.driverConfig === 'string' ? config.driverConfig : '',
    host,
    port,
    serialPath: protocol === 'ModbusRtu' ? endpoint : '',
    unitId: typeof modbus.unitId === 'number' ? modbus.unitId : 1,
    baudRate: typeof modbus.baudRate === 'number' ? modbus.baudRate : 19200,
    dataBits: typeof modbus.dataBits === 'number' ? modbus.dataBits : 8,
    parity: typeof modbus.parity === 'string' ? modbus.parity : 'even',
    stopBits: typeof modbus.stopBits === 'number' ? modbus.stopBits : 1,
    wordOrder: typeof modbus.wordOrder === 'string' ? modbus.wordOrder : 'ABCD',
    url: protocol === 'OpcUa' || protocol === 'Mqtt' ? endpoint : '',
    securityMode: typeof opcua.securityMode === 'string' ? opcua.securityMode : 'None',
    securityPolicy: typeof opcua.securityPolicy === 'string' ? opcua.securityPolicy : 'None',
    clientId: typeof mqtt.clientId === 'string' ? mqtt.clientId : '',
    brokerUsername: typeof mqtt.username === 'string' ? mqtt.username : '',
    endpoint: protocol === 'Custom' ? endpoint : '',
    extraConfig: Object.keys(extra).length ? JSON.stringify(extra, null, 2) : '',
  };
}

function splitHostPort(endpoint: string): [string, number] {
  const match = /^(.*):(\d+)$/.exec(endpoint);
  return match ? [match[1] ?? '', Number(match[2])] : [endpoint, 502];
}

/** The device's endpoint and config from the form, keeping config keys the form does not show. */
function toDevice(values: DeviceFormValues, before: Device | null) {
  const previous = (before?.config ?? {}) as JsonObject;
  const { driverConfig: _d, ...kept } = previous;
  const extra = values.extraConfig.trim() ? (JSON.parse(values.extraConfig) as JsonObject) : {};
  const config: JsonObject = { ...kept, ...extra };
  if (values.driverConfig) config.driverConfig = values.driverConfig;
  let endpoint = values.endpoint;
  switch (values.protocol) {
    case 'ModbusTcp':
      endpoint = `${values.host.trim()}:${values.port}`;
      config.modbus = { ...section(previous, 'modbus'), unitId: values.unitId, wordOrder: values.wordOrder };
      break;
    case 'ModbusRtu':
      endpoint = values.serialPath.trim();
      config.modbus = {
        ...section(previous, 'modbus'),
        unitId: values.unitId,
        baudRate: values.baudRate,
        dataBits: values.dataBits,
        parity: values.parity,
        stopBits: values.stopBits,
        wordOrder: values.wordOrder,
      };
      break;
    case 'OpcUa':
      endpoint = values.url.trim();
      config.opcua = {
        ...section(previous, 'opcua'),
        securityMode: values.securityMode,
        securityPolicy: values.securityPolicy,
      };
      break;
    case 'Mqtt':
      endpoint = values.url.trim();
      config.mqtt = {
        ...section(previous, 'mqtt'),
        ...(values.clientId ? { clientId: values.clientId } : {}),
        ...(values.brokerUsername ? { username: values.brokerUsername } : {}),
      };
      break;
    case 'Custom':
      break;
  }
  return {
    name: values.name,
    description: values.description,
    protocol: values.protocol,
    location: values.location,
    enabled: values.enabled,
    endpoint,
    // the form only ever adds JSON values to what the gateway sent
    config: config as NonNullable<ApiInputs['devices']['create']['config']>,
  };
}

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
    <Controller
      name={name}
      control={control}
      render={({ field }) => (
        <TextField select label={label} {...field} value={field.value as string | number} fullWidth>
          {options.map((option) => (
            <MenuItem key={option} value={option}>
              {optionLabel(option)}
            </MenuItem>
          ))}
        </TextField>
      )}
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
                    <MenuItem value="">{t('devices.driverConfigDefault')}</MenuItem>
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
            <Controller
              name="enabled"
              control={control}
              render={({ field }) => (
                <FormControlLabel
                  control={<Switch checked={field.value} onChange={(event) => field.onChange(event.target.checked)} />}
                  label={t('devices.enabled')}
                />
              )}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={formState.isSubmitting}>
            {t('common.save')}
          </Button>
        </DialogActions>
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
