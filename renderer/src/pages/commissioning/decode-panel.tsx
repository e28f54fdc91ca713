// The decode assistant: registers (or raw bytes) pasted or taken from a read, shown in every
// format; with the value the device's display shows, the gateway lists the type / word order /
// scaling combinations that explain it (commissioning.decode), plainest first. Picking one opens
// "create tag" with its address, data type and scaling filled in.
import AddIcon from '@mui/icons-material/Add';
import SearchIcon from '@mui/icons-material/Search';
import {
  Box,
  Button,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../../api/api-client.ts';
import { apiFailure } from '../../api/api-error-text.ts';
import { roleMay } from '../../auth/role-access.ts';
import { api, useSignedInUser } from '../../stores/session-store.ts';
import { CreateTagDialog, tagNameOf, type TagDraft } from './create-tag-dialog.tsx';
import type { ReadRegisters } from './modbus-panel.tsx';
import { formatFloat, parseRegisters } from './register-formats.ts';
import type { RegisterTable } from './modbus-function-codes.ts';
import { RegisterView } from './register-view.tsx';
import { ToolOutcome } from './tool-outcome.tsx';

type Candidate = ApiOutputs['commissioning']['decode'][number];

const TABLES: RegisterTable[] = ['holding-register', 'input-register'];

export function DecodePanel({ from }: { from: ReadRegisters | null }) {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const [mode, setMode] = useState<'registers' | 'bytes'>('registers');
  const [text, setText] = useState('');
  const [displayed, setDisplayed] = useState('');
  const [table, setTable] = useState<RegisterTable>('holding-register');
  const [firstAddress, setFirstAddress] = useState('0');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<TagDraft | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  // A read handed over from the Modbus panel.
  useEffect(() => {
    if (!from) return;
    setMode('registers');
    setText(from.registers.join(' '));
    if (from.table === 'holding-register' || from.table === 'input-register') setTable(from.table);
    setFirstAddress(String(from.firstOffset));
    setCandidates(null);
  }, [from]);

  const parsed = parseRegisters(text, { bytes: mode === 'bytes' });
  const offset = Number(firstAddress);
  const offsetValid = firstAddress.trim() !== '' && Number.isInteger(offset) && offset >= 0 && offset <= 65535;
  const textProblem =
    !parsed.ok && parsed.problem !== 'empty'
      ? t(`commissioning.modbus.valuesProblem.${parsed.problem}`, { token: parsed.token ?? '' })
      : undefined;
  const displayedProblem =
    displayed.trim() && !Number.isFinite(Number(displayed)) ? t('common.mustBeNumber') : undefined;

  async function decode(event: FormEvent) {
    event.preventDefault();
    if (!parsed.ok || !displayed.trim() || displayedProblem || !offsetValid) return;
    setBusy(true);
    setFailure(null);
    setCreated(null);
    try {
      setCandidates(
        await api.commissioning.decode.query({
          registers: parsed.registers,
          displayed: displayed.trim(),
          table,
          firstOffset: offset,
        }),
      );
    } catch (error) {
      setFailure(apiFailure(error).message);
      setCandidates(null);
    } finally {
      setBusy(false);
    }
  }

  function pick(candidate: Candidate) {
    setDraft({
      name: tagNameOf(`${candidate.dataType.toLowerCase()}_${candidate.address.split(':')[0]}`),
      address: candidate.address,
      dataType: candidate.dataType,
      scaling: candidate.scaling,
      description: t('commissioning.decode.tagDescription', { value: displayed.trim() }),
    });
  }

  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Box component="form" onSubmit={(e) => void decode(e)} noValidate aria-label={t('commissioning.decode.title')}>
          <Stack spacing={2}>
            <Typography color="text.secondary">{t('commissioning.decode.intro')}</Typography>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={mode}
              onChange={(_, value: 'registers' | 'bytes' | null) => value && setMode(value)}
              aria-label={t('commissioning.decode.input')}
            >
              <ToggleButton value="registers">{t('commissioning.decode.registers')}</ToggleButton>
              <ToggleButton value="bytes">{t('commissioning.decode.bytes')}</ToggleButton>
            </ToggleButtonGroup>
            <TextField
              label={mode === 'bytes' ? t('commissioning.decode.bytesLabel') : t('commissioning.decode.registersLabel')}
              value={text}
              onChange={(e) => setText(e.target.value)}
              multiline
              minRows={2}
              placeholder={mode === 'bytes' ? '42 48 00 00' : '16968 0'}
              error={!!textProblem}
              helperText={
                textProblem ??
                (parsed.ok ? t('commissioning.decode.registerCount', { count: parsed.registers.length }) : ' ')
              }
              slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
            />
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2, alignItems: 'flex-start' }}>
              <TextField
                label={t('commissioning.decode.displayed')}
                value={displayed}
                onChange={(e) => setDisplayed(e.target.value)}
                error={!!displayedProblem}
                helperText={displayedProblem ?? t('commissioning.decode.displayedHint')}
                sx={{ width: 260 }}
              />
              <TextField
                select
                label={t('commissioning.decode.table')}
                value={table}
                onChange={(e) => setTable(e.target.value as RegisterTable)}
                sx={{ width: 220 }}
              >
                {TABLES.map((name) => (
                  <MenuItem key={name} value={name}>
                    {t(`commissioning.tables.${name}`)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={t('commissioning.decode.firstAddress')}
                value={firstAddress}
                onChange={(e) => setFirstAddress(e.target.value)}
                error={!offsetValid}
                helperText={offsetValid ? ' ' : t('common.wholeBetween', { min: 0, max: 65535 })}
                sx={{ width: 170 }}
              />
              <Button
                type="submit"
                variant="contained"
                startIcon={<SearchIcon />}
                disabled={!parsed.ok || !displayed.trim() || !!displayedProblem || !offsetValid || busy}
                sx={{ mt: 1 }}
              >
                {t('commissioning.decode.run')}
              </Button>
            </Stack>
          </Stack>
        </Box>
      </Paper>
      <ToolOutcome failure={failure} created={created} onDismissCreated={() => setCreated(null)} />
      {candidates && (
        <Paper variant="outlined" sx={{ overflow: 'auto', maxHeight: 420 }}>
          {candidates.length === 0 ? (
            <Typography sx={{ p: 2 }} color="text.secondary" role="status">
              {t('commissioning.decode.noMatch')}
            </Typography>
          ) : (
            <Table size="small" stickyHeader aria-label={t('commissioning.decode.candidates')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('commissioning.createTag.dataType')}</TableCell>
                  <TableCell>{t('commissioning.decode.wordOrder')}</TableCell>
                  <TableCell>{t('commissioning.createTag.address')}</TableCell>
                  <TableCell align="right">{t('commissioning.decode.raw')}</TableCell>
                  <TableCell align="right">{t('commissioning.createTag.scaling')}</TableCell>
                  <TableCell align="right">{t('commissioning.decode.value')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {candidates.map((candidate, i) => (
                  <TableRow key={i} hover>
                    <TableCell>{candidate.dataType}</TableCell>
                    <TableCell>{candidate.registers > 1 ? candidate.wordOrder : '—'}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace' }}>{candidate.address}</TableCell>
                    <TableCell align="right" sx={{ fontFamily: 'monospace' }}>
                      {typeof candidate.raw === 'number' ? formatFloat(candidate.raw) : String(candidate.raw)}
                    </TableCell>
                    <TableCell align="right">{candidate.scaling}</TableCell>
                    <TableCell align="right">{formatFloat(candidate.value)}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        startIcon={<AddIcon />}
                        onClick={() => pick(candidate)}
                        disabled={!roleMay(user.role, 'configure-devices')}
                        aria-label={t('commissioning.decode.createFrom', {
                          address: candidate.address,
                          type: candidate.dataType,
                        })}
                      >
                        {t('commissioning.createTag.button')}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Paper>
      )}
      {parsed.ok && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="subtitle1" component="h3" sx={{ mb: 1 }}>
            {t('commissioning.decode.everyFormat')}
          </Typography>
          <RegisterView registers={parsed.registers} table={table} firstOffset={offsetValid ? offset : 0} />
        </Paper>
      )}
      {draft && (
        <CreateTagDialog
          draft={draft}
          protocols={['ModbusTcp', 'ModbusRtu']}
          onClose={(name) => {
            setDraft(null);
            if (name) setCreated(name);
          }}
        />
      )}
    </Stack>
  );
}
