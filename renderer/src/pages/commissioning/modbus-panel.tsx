// The Modbus read/write panel, like Modbus Poll: a connection (Modbus TCP host and port, or an
// RS-485 line's serial settings; or those of a configured device), a slave, a function code, an
// address and a count; the answer in every display format; writes after a confirmation; repeat
// polling at a chosen interval; and the traffic log with the raw frames of every transaction.
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import SendIcon from '@mui/icons-material/Send';
import StopIcon from '@mui/icons-material/Stop';
import TransformIcon from '@mui/icons-material/Transform';
import {
  Alert,
  Box,
  Button,
  MenuItem,
  Paper,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiInputs } from '../../api/api-client.ts';
import { apiFailure } from '../../api/api-error-text.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useApiQuery } from '../../components/use-api-query.ts';
import { api } from '../../stores/session-store.ts';
import {
  FUNCTION_CODES,
  isWrite,
  MAX_COUNT,
  TABLE_OF,
  type FunctionCode,
  type RegisterTable,
} from './modbus-function-codes.ts';
import { parseRegisters } from './register-formats.ts';
import { BitView, referenceOf, RegisterView } from './register-view.tsx';
import { MAX_ENTRIES, TrafficLog, useOutcomeText, type ModbusResult, type TrafficLogEntry } from './traffic-log.tsx';
import { SerialPortPicker } from './serial-port-picker.tsx';

type ModbusRequest = ApiInputs['commissioning']['modbus'];
type Protocol = 'ModbusTcp' | 'ModbusRtu';

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
const POLL_INTERVALS = [250, 500, 1000, 2000, 5000, 10_000];

/** What the decode assistant gets from a read: the registers and where they came from. */
export interface ReadRegisters {
  registers: number[];
  table: RegisterTable;
  firstOffset: number;
}

interface Connection {
  protocol: Protocol;
  host: string;
  port: string;
  serialPath: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  unitId: string;
  timeoutMs: string;
}

interface Shown {
  table: RegisterTable;
  firstOffset: number;
  registers?: number[];
  bits?: boolean[];
}

const wholeIn = (text: string, min: number, max: number) => {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
};

export function ModbusPanel({ onDecode }: { onDecode(read: ReadRegisters): void }) {
  const { t } = useTranslation();
  const outcome = useOutcomeText();
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const modbusDevices = (devices.data ?? []).filter((d) => d.protocol === 'ModbusTcp' || d.protocol === 'ModbusRtu');
  const [deviceId, setDeviceId] = useState('');
  const [connection, setConnection] = useState<Connection>({
    protocol: 'ModbusTcp',
    host: '127.0.0.1',
    port: '502',
    serialPath: '',
    baudRate: 19200,
    parity: 'even',
    dataBits: 8,
    stopBits: 1,
    unitId: '1',
    timeoutMs: '1000',
  });
  const [functionCode, setFunctionCode] = useState<FunctionCode>(3);
  const [address, setAddress] = useState('0');
  const [count, setCount] = useState('10');
  const [values, setValues] = useState('');
  const [coilOn, setCoilOn] = useState(true);
  const [interval, setIntervalMs] = useState(1000);
  const [polling, setPolling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<ModbusRequest | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [lastProblem, setLastProblem] = useState<string | null>(null);
  const [log, setLog] = useState<TrafficLogEntry[]>([]);
  const nextId = useRef(1);
  const pollTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pollingRef = useRef(false);

  const change = <K extends keyof Connection>(key: K, value: Connection[K]) => {
    setDeviceId('');
    setConnection((previous) => ({ ...previous, [key]: value }));
  };

  function applyDevice(id: string) {
    const device = modbusDevices.find((d) => d.id === id);
    setDeviceId(id);
    if (!device) return;
    const modbus = ((device.config as Record<string, unknown>).modbus ?? {}) as Record<string, unknown>;
    const [host = '', port = '502'] = device.protocol === 'ModbusTcp' ? splitHostPort(device.endpoint) : [];
    setConnection((previous) => ({
      ...previous,
      protocol: device.protocol as Protocol,
      host: device.protocol === 'ModbusTcp' ? host : previous.host,
      port: device.protocol === 'ModbusTcp' ? port : previous.port,
      serialPath: device.protocol === 'ModbusRtu' ? device.endpoint : previous.serialPath,
      baudRate: typeof modbus.baudRate === 'number' ? modbus.baudRate : previous.baudRate,
      parity: (modbus.parity as Connection['parity'] | undefined) ?? previous.parity,
      dataBits: (modbus.dataBits as Connection['dataBits'] | undefined) ?? previous.dataBits,
      stopBits: (modbus.stopBits as Connection['stopBits'] | undefined) ?? previous.stopBits,
      unitId: String(modbus.unitId ?? 1),
    }));
  }

  // Field checks in the user's words, before anything is sent; the gateway checks again.
  const problems: Partial<
    Record<'host' | 'port' | 'serialPath' | 'unitId' | 'timeoutMs' | 'address' | 'count' | 'values', string>
  > = {};
  const tcp = connection.protocol === 'ModbusTcp';
  const unitMin = tcp ? 0 : 1;
  const unitMax = tcp ? 255 : 247;
  if (tcp && !connection.host.trim()) problems.host = t('common.required');
  if (tcp && wholeIn(connection.port, 1, 65535) === undefined)
    problems.port = t('common.wholeBetween', { min: 1, max: 65535 });
  if (!tcp && !connection.serialPath.trim()) problems.serialPath = t('common.required');
  if (wholeIn(connection.unitId, unitMin, unitMax) === undefined) {
    problems.unitId = t('common.wholeBetween', { min: unitMin, max: unitMax });
  }
  if (wholeIn(connection.timeoutMs, 10, 60_000) === undefined) {
    problems.timeoutMs = t('common.wholeBetween', { min: 10, max: 60000 });
  }
  if (wholeIn(address, 0, 65535) === undefined) problems.address = t('common.wholeBetween', { min: 0, max: 65535 });
  const maxCount = MAX_COUNT[functionCode];
  if (maxCount && wholeIn(count, 1, maxCount) === undefined)
    problems.count = t('common.wholeBetween', { min: 1, max: maxCount });
  let writeRegisters: number[] | undefined;
  let writeBits: boolean[] | undefined;
  if (functionCode === 6 || functionCode === 16) {
    const parsed = parseRegisters(values);
    if (!parsed.ok)
      problems.values = t(`commissioning.modbus.valuesProblem.${parsed.problem}`, { token: parsed.token ?? '' });
    else if (functionCode === 6 && parsed.registers.length !== 1) problems.values = t('commissioning.modbus.oneValue');
    else if (parsed.registers.length > 123) problems.values = t('commissioning.modbus.valuesProblem.tooMany');
    else writeRegisters = parsed.registers;
  }
  if (functionCode === 15) {
    const tokens = values
      .trim()
      .split(/[\s,;]+/)
      .filter(Boolean);
    if (tokens.length === 0) problems.values = t('commissioning.modbus.valuesProblem.empty');
    else if (tokens.some((token) => !/^(0|1|true|false|on|off)$/i.test(token))) {
      problems.values = t('commissioning.modbus.bitsOnly');
    } else writeBits = tokens.map((token) => /^(1|true|on)$/i.test(token));
  }
  const valid = Object.keys(problems).length === 0;

  function buildRequest(): ModbusRequest {
    const target = {
      protocol: connection.protocol,
      endpoint: tcp ? `${connection.host.trim()}:${connection.port.trim()}` : connection.serialPath.trim(),
      modbus: tcp
        ? { unitId: Number(connection.unitId) }
        : {
            unitId: Number(connection.unitId),
            baudRate: connection.baudRate,
            parity: connection.parity,
            dataBits: connection.dataBits,
            stopBits: connection.stopBits,
          },
      timeoutMs: Number(connection.timeoutMs),
      address: Number(address),
    };
    switch (functionCode) {
      case 1:
      case 2:
      case 3:
      case 4:
        return { ...target, functionCode, count: Number(count) };
      case 5:
        return { ...target, functionCode, value: coilOn };
      case 6:
        return { ...target, functionCode, value: writeRegisters![0]! };
      case 15:
        return { ...target, functionCode, values: writeBits! };
      case 16:
        return { ...target, functionCode, values: writeRegisters! };
    }
  }

  function describe(request: ModbusRequest): string {
    const table = TABLE_OF[request.functionCode];
    const n = 'count' in request ? request.count : 'values' in request ? request.values.length : 1;
    const range = `${referenceOf(table, request.address)}${n > 1 ? ` ×${n}` : ''}`;
    const unit = (request.modbus as { unitId?: number } | undefined)?.unitId ?? 1;
    return t('commissioning.modbus.requestSummary', { fc: request.functionCode, range, unit });
  }

  async function send(request: ModbusRequest): Promise<ModbusResult | null> {
    const at = new Date();
    let result: TrafficLogEntry['result'];
    try {
      result = await api.commissioning.modbus.mutate(request);
    } catch (error) {
      result = { ok: false, error: apiFailure(error).message, traffic: [], elapsedMs: null, refused: true };
    }
    const entry: TrafficLogEntry = { id: nextId.current++, at, request: describe(request), result };
    setLog((previous) => [entry, ...previous].slice(0, MAX_ENTRIES));
    if (result.ok) setLastProblem(null);
    else {
      const words = outcome(result);
      setLastProblem(words === result.error ? words : `${words} — ${result.error}`);
    }
    if (!result.ok) return null;
    if (!isWrite(request.functionCode)) {
      setShown({
        table: TABLE_OF[request.functionCode],
        firstOffset: request.address,
        ...(result.registers ? { registers: result.registers } : {}),
        ...(result.bits ? { bits: result.bits } : {}),
      });
    }
    return 'refused' in result ? null : result;
  }

  async function once(request: ModbusRequest) {
    setBusy(true);
    try {
      await send(request);
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid || busy) return;
    const request = buildRequest();
    if (isWrite(functionCode)) setConfirming(request);
    else void once(request);
  }

  function stopPolling() {
    pollingRef.current = false;
    clearTimeout(pollTimer.current);
    setPolling(false);
  }

  function startPolling() {
    if (!valid || isWrite(functionCode)) return;
    const request = buildRequest();
    pollingRef.current = true;
    setPolling(true);
    // The next request leaves `interval` after the previous answer: polling never piles up.
    const tick = async () => {
      if (!pollingRef.current) return;
      await send(request);
      if (pollingRef.current) pollTimer.current = setTimeout(() => void tick(), interval);
    };
    void tick();
  }

  useEffect(() => () => stopPolling(), []);

  const fieldError = (key: keyof typeof problems) => ({ error: !!problems[key], helperText: problems[key] });
  const selectSx = { minWidth: 110 };

  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Box component="form" onSubmit={submit} noValidate aria-label={t('commissioning.modbus.title')}>
          <Stack spacing={2}>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 2 }}>
              <TextField
                select
                label={t('commissioning.modbus.fromDevice')}
                value={deviceId}
                onChange={(e) => applyDevice(e.target.value)}
                sx={{ minWidth: 240 }}
                disabled={polling}
                slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
              >
                <MenuItem value="">{t('commissioning.modbus.typed')}</MenuItem>
                {modbusDevices.map((device) => (
                  <MenuItem key={device.id} value={device.id}>
                    {device.name}
                  </MenuItem>
                ))}
              </TextField>
              <ToggleButtonGroup
                exclusive
                size="small"
                value={connection.protocol}
                onChange={(_, value: Protocol | null) => value && change('protocol', value)}
                aria-label={t('commissioning.modbus.protocol')}
                disabled={polling}
              >
                <ToggleButton value="ModbusTcp">{t('protocols.ModbusTcp')}</ToggleButton>
                <ToggleButton value="ModbusRtu">{t('protocols.ModbusRtu')}</ToggleButton>
              </ToggleButtonGroup>
            </Stack>
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2, alignItems: 'flex-start' }}>
              {tcp ? (
                <>
                  <TextField
                    label={t('commissioning.modbus.host')}
                    value={connection.host}
                    onChange={(e) => change('host', e.target.value)}
                    disabled={polling}
                    {...fieldError('host')}
                  />
                  <TextField
                    label={t('commissioning.modbus.port')}
                    value={connection.port}
                    onChange={(e) => change('port', e.target.value)}
                    disabled={polling}
                    sx={{ width: 110 }}
                    slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                    {...fieldError('port')}
                  />
                </>
              ) : (
                <>
                  <SerialPortPicker value={connection.serialPath} onChange={(path) => change('serialPath', path)} />
                  <TextField
                    select
                    label={t('commissioning.modbus.baudRate')}
                    value={connection.baudRate}
                    onChange={(e) => change('baudRate', Number(e.target.value))}
                    sx={selectSx}
                  >
                    {BAUD_RATES.map((rate) => (
                      <MenuItem key={rate} value={rate}>
                        {rate}
                      </MenuItem>
                    ))}
                  </TextField>
                  <TextField
                    select
                    label={t('commissioning.modbus.parity')}
                    value={connection.parity}
                    onChange={(e) => change('parity', e.target.value as Connection['parity'])}
                    sx={selectSx}
                  >
                    {(['none', 'even', 'odd'] as const).map((parity) => (
                      <MenuItem key={parity} value={parity}>
                        {t(`commissioning.modbus.parities.${parity}`)}
                      </MenuItem>
                    ))}
                  </TextField>
                  <TextField
                    select
                    label={t('commissioning.modbus.dataBits')}
                    value={connection.dataBits}
                    onChange={(e) => change('dataBits', Number(e.target.value) as 7 | 8)}
                    sx={{ width: 90 }}
                  >
                    <MenuItem value={8}>8</MenuItem>
                    <MenuItem value={7}>7</MenuItem>
                  </TextField>
                  <TextField
                    select
                    label={t('commissioning.modbus.stopBits')}
                    value={connection.stopBits}
                    onChange={(e) => change('stopBits', Number(e.target.value) as 1 | 2)}
                    sx={{ width: 90 }}
                  >
                    <MenuItem value={1}>1</MenuItem>
                    <MenuItem value={2}>2</MenuItem>
                  </TextField>
                </>
              )}
              <TextField
                label={t('commissioning.modbus.unitId')}
                value={connection.unitId}
                onChange={(e) => change('unitId', e.target.value)}
                sx={{ width: 110 }}
                disabled={polling}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                {...fieldError('unitId')}
              />
              <TextField
                label={t('commissioning.modbus.timeout')}
                value={connection.timeoutMs}
                onChange={(e) => change('timeoutMs', e.target.value)}
                sx={{ width: 130 }}
                disabled={polling}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                {...fieldError('timeoutMs')}
              />
            </Stack>
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2, alignItems: 'flex-start' }}>
              <TextField
                select
                label={t('commissioning.modbus.functionCode')}
                value={functionCode}
                onChange={(e) => setFunctionCode(Number(e.target.value) as FunctionCode)}
                sx={{ minWidth: 300 }}
                disabled={polling}
              >
                {FUNCTION_CODES.map((fc) => (
                  <MenuItem key={fc} value={fc}>
                    {t(`commissioning.functionCodes.${fc}`)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={t('commissioning.modbus.address')}
                value={address}
                onChange={(e) => setAddress(e.target.value)}
                sx={{ width: 150 }}
                disabled={polling}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                error={!!problems.address}
                helperText={
                  problems.address ??
                  (wholeIn(address, 0, 65535) !== undefined
                    ? referenceOf(TABLE_OF[functionCode], Number(address))
                    : ' ')
                }
              />
              {!isWrite(functionCode) && (
                <TextField
                  label={t('commissioning.modbus.count')}
                  value={count}
                  onChange={(e) => setCount(e.target.value)}
                  sx={{ width: 110 }}
                  disabled={polling}
                  slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                  {...fieldError('count')}
                />
              )}
              {functionCode === 5 && (
                <TextField
                  select
                  label={t('commissioning.modbus.value')}
                  value={coilOn ? 'on' : 'off'}
                  onChange={(e) => setCoilOn(e.target.value === 'on')}
                  sx={{ width: 120 }}
                >
                  <MenuItem value="on">{t('commissioning.formats.on')}</MenuItem>
                  <MenuItem value="off">{t('commissioning.formats.off')}</MenuItem>
                </TextField>
              )}
              {(functionCode === 6 || functionCode === 15 || functionCode === 16) && (
                <TextField
                  label={functionCode === 6 ? t('commissioning.modbus.value') : t('commissioning.modbus.values')}
                  value={values}
                  onChange={(e) => setValues(e.target.value)}
                  sx={{ minWidth: 260, flexGrow: 1 }}
                  error={!!problems.values}
                  helperText={
                    problems.values ??
                    (functionCode === 15 ? t('commissioning.modbus.bitsHint') : t('commissioning.modbus.valuesHint'))
                  }
                  slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
                />
              )}
            </Stack>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
              <Button type="submit" variant="contained" startIcon={<SendIcon />} disabled={!valid || busy || polling}>
                {isWrite(functionCode) ? t('commissioning.modbus.write') : t('commissioning.modbus.read')}
              </Button>
              {!isWrite(functionCode) && (
                <>
                  <TextField
                    select
                    size="small"
                    label={t('commissioning.modbus.interval')}
                    value={interval}
                    onChange={(e) => setIntervalMs(Number(e.target.value))}
                    sx={{ width: 140 }}
                    disabled={polling}
                  >
                    {POLL_INTERVALS.map((ms) => (
                      <MenuItem key={ms} value={ms}>
                        {ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}
                      </MenuItem>
                    ))}
                  </TextField>
                  {polling ? (
                    <Button color="warning" variant="outlined" startIcon={<StopIcon />} onClick={stopPolling}>
                      {t('commissioning.modbus.stopPolling')}
                    </Button>
                  ) : (
                    <Button
                      variant="outlined"
                      startIcon={<PlayArrowIcon />}
                      onClick={startPolling}
                      disabled={!valid || busy}
                    >
                      {t('commissioning.modbus.startPolling')}
                    </Button>
                  )}
                </>
              )}
              {polling && (
                <Typography color="text.secondary" role="status">
                  {t('commissioning.modbus.polling')}
                </Typography>
              )}
            </Stack>
          </Stack>
        </Box>
      </Paper>
      {lastProblem && (
        <Alert severity="error" role="alert" onClose={() => setLastProblem(null)}>
          {lastProblem}
        </Alert>
      )}
      {shown && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', mb: 1, gap: 1 }}>
            <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
              {t('commissioning.modbus.values')}
            </Typography>
            {shown.registers && (
              <Button
                size="small"
                startIcon={<TransformIcon />}
                onClick={() =>
                  onDecode({ registers: shown.registers!, table: shown.table, firstOffset: shown.firstOffset })
                }
              >
                {t('commissioning.modbus.toDecode')}
              </Button>
            )}
          </Box>
          {shown.registers && (
            <RegisterView registers={shown.registers} table={shown.table} firstOffset={shown.firstOffset} />
          )}
          {shown.bits && <BitView bits={shown.bits} table={shown.table} firstOffset={shown.firstOffset} />}
        </Paper>
      )}
      <TrafficLog entries={log} onClear={() => setLog([])} />
      {confirming && (
        <ConfirmDialog
          title={t('commissioning.modbus.confirmTitle')}
          text={t('commissioning.modbus.confirmText', {
            request: describe(confirming),
            values:
              'values' in confirming
                ? confirming.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)).join(', ')
                : 'value' in confirming
                  ? typeof confirming.value === 'boolean'
                    ? confirming.value
                      ? t('commissioning.formats.on')
                      : t('commissioning.formats.off')
                    : confirming.value
                  : '',
            endpoint: confirming.endpoint,
          })}
          confirmLabel={t('commissioning.modbus.write')}
          danger
          onConfirm={() => once(confirming)}
          onClose={() => setConfirming(null)}
        />
      )}
    </Stack>
  );
}

function splitHostPort(endpoint: string): [string, string] {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(endpoint.trim());
  return match ? [match[1] as string, match[2] as string] : [endpoint, '502'];
}
