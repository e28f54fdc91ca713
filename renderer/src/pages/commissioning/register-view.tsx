// Registers in every display format side by side: per register unsigned / signed / hex / binary,
// and per pair of registers float32, int32 or uint32 in the four word orders — the engineer
// compares the columns with the device's display. Bits (FC1/FC2) as a list of on/off.
import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegisterTable } from './modbus-function-codes.ts';
import { formatFloat, pairFormats, registerFormats, WORD_ORDERS } from './register-formats.ts';

const PREFIX: Record<RegisterTable, string> = {
  coil: '0',
  'discrete-input': '1',
  'input-register': '3',
  'holding-register': '4',
};

/** The 1-based reference engineers read in manuals: offset 0 of the holding registers is 40001. */
export function referenceOf(table: RegisterTable, offset: number): string {
  const number = offset + 1;
  return `${PREFIX[table]}${String(number).padStart(number > 9999 ? 5 : 4, '0')}`;
}

type WideType = 'float32' | 'int32' | 'uint32';

const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' } as const;

export function RegisterView({
  registers,
  table,
  firstOffset,
}: {
  registers: readonly number[];
  table: RegisterTable;
  firstOffset: number;
}) {
  const { t } = useTranslation();
  const [wide, setWide] = useState<WideType>('float32');
  const pairs = useMemo(
    () => registers.slice(0, -1).map((word, i) => pairFormats(word, registers[i + 1] as number)),
    [registers],
  );
  const show = (value: number) => (wide === 'float32' ? formatFloat(value) : String(value));
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }} data-testid="register-view">
      <Paper variant="outlined" sx={{ overflow: 'auto', maxHeight: 420 }}>
        <Table size="small" stickyHeader aria-label={t('commissioning.formats.registers16')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('commissioning.formats.address')}</TableCell>
              <TableCell align="right">{t('commissioning.formats.unsigned')}</TableCell>
              <TableCell align="right">{t('commissioning.formats.signed')}</TableCell>
              <TableCell>{t('commissioning.formats.hex')}</TableCell>
              <TableCell>{t('commissioning.formats.binary')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {registers.map((word, i) => {
              const f = registerFormats(word);
              return (
                <TableRow key={i}>
                  <TableCell sx={mono}>{referenceOf(table, firstOffset + i)}</TableCell>
                  <TableCell align="right" sx={mono}>
                    {f.unsigned}
                  </TableCell>
                  <TableCell align="right" sx={mono}>
                    {f.signed}
                  </TableCell>
                  <TableCell sx={mono}>{f.hex}</TableCell>
                  <TableCell sx={mono}>{f.binary}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Paper>
      {pairs.length > 0 && (
        <Paper variant="outlined" sx={{ overflow: 'auto', maxHeight: 420 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, p: 1 }}>
            <Typography variant="subtitle2">{t('commissioning.formats.registers32')}</Typography>
            <ToggleButtonGroup
              size="small"
              exclusive
              value={wide}
              onChange={(_, value: WideType | null) => value && setWide(value)}
              aria-label={t('commissioning.formats.registers32')}
            >
              <ToggleButton value="float32">float32</ToggleButton>
              <ToggleButton value="int32">int32</ToggleButton>
              <ToggleButton value="uint32">uint32</ToggleButton>
            </ToggleButtonGroup>
          </Box>
          <Table size="small" aria-label={`${t('commissioning.formats.registers32')} ${wide}`}>
            <TableHead>
              <TableRow>
                <TableCell>{t('commissioning.formats.address')}</TableCell>
                {WORD_ORDERS.map((order) => (
                  <TableCell key={order} align="right">
                    {order}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {pairs.map((pair, i) => (
                <TableRow key={i}>
                  <TableCell sx={mono}>
                    {referenceOf(table, firstOffset + i)}–{referenceOf(table, firstOffset + i + 1).slice(-2)}
                  </TableCell>
                  {pair.map((formats) => (
                    <TableCell key={formats.order} align="right" sx={mono}>
                      {show(formats[wide])}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  );
}

export function BitView({
  bits,
  table,
  firstOffset,
}: {
  bits: readonly boolean[];
  table: RegisterTable;
  firstOffset: number;
}) {
  const { t } = useTranslation();
  return (
    <Box
      data-testid="bit-view"
      sx={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))',
        gap: 0.5,
        maxHeight: 420,
        overflow: 'auto',
      }}
    >
      {bits.map((bit, i) => (
        <Paper
          key={i}
          variant="outlined"
          sx={{ px: 1, py: 0.5, display: 'flex', justifyContent: 'space-between', ...mono }}
        >
          <span>{referenceOf(table, firstOffset + i)}</span>
          <Typography
            component="span"
            sx={{ fontWeight: 600, color: bit ? 'success.main' : 'text.secondary', ...mono }}
          >
            {bit ? t('commissioning.formats.on') : t('commissioning.formats.off')}
          </Typography>
        </Paper>
      ))}
    </Box>
  );
}
