// The Modbus panel's traffic log: one entry per transaction, newest first — when, what was asked,
// the raw request and response frames in hex, the round-trip time, and the outcome in words
// (a timeout, an exception with its name). Kept to the last MAX_ENTRIES.
import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import { Box, Button, Paper, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../../api/api-client.ts';

export type ModbusResult = ApiOutputs['commissioning']['modbus'];

export interface TrafficLogEntry {
  id: number;
  at: Date;
  /** "FC3 40001 ×3, unit 1" */
  request: string;
  result: ModbusResult | { ok: false; error: string; traffic: []; elapsedMs: null; refused: true };
}

export const MAX_ENTRIES = 500;

const mono = { fontFamily: 'monospace', fontSize: '0.8rem', whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;

function time(at: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

/** QualityReason (proto/frame.proto) → its words: 1 timeout, 3 CRC error, 4 port closed, 5 not connected */
const REASON_KEYS: Readonly<Record<number, string>> = { 1: 'timeout', 3: 'crc', 4: 'portClosed', 5: 'notConnected' };

/** The outcome in the user's language; the gateway's own sentence stays available as a tooltip. */
export function useOutcomeText(): (result: TrafficLogEntry['result']) => string {
  const { t, i18n } = useTranslation();
  return (result) => {
    if (result.ok) return t('commissioning.log.ok');
    if ('refused' in result) return result.error;
    if (result.exceptionCode !== undefined) {
      const key = `commissioning.exceptions.${result.exceptionCode}`;
      const name = i18n.exists(key) ? t(key) : t('commissioning.exceptions.unknown');
      return t('commissioning.log.exception', { code: result.exceptionCode, name });
    }
    const reasonKey = REASON_KEYS[result.reason ?? 0];
    return reasonKey ? t(`commissioning.log.${reasonKey}`) : result.error;
  };
}

export function TrafficLog({ entries, onClear }: { entries: readonly TrafficLogEntry[]; onClear(): void }) {
  const { t } = useTranslation();
  const outcome = useOutcomeText();
  return (
    <Paper variant="outlined" sx={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', px: 2, py: 1, gap: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
          {t('commissioning.log.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" role="status">
          {t('commissioning.log.count', { count: entries.length })}
        </Typography>
        <Button size="small" startIcon={<DeleteSweepIcon />} onClick={onClear} disabled={entries.length === 0}>
          {t('commissioning.log.clear')}
        </Button>
      </Box>
      <Box sx={{ overflow: 'auto', maxHeight: 360 }}>
        <Table size="small" stickyHeader aria-label={t('commissioning.log.title')} data-testid="traffic-log">
          <TableHead>
            <TableRow>
              <TableCell>{t('commissioning.log.time')}</TableCell>
              <TableCell>{t('commissioning.log.request')}</TableCell>
              <TableCell>{t('commissioning.log.frames')}</TableCell>
              <TableCell align="right">{t('commissioning.log.rtt')}</TableCell>
              <TableCell>{t('commissioning.log.outcome')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.length === 0 && (
              <TableRow>
                <TableCell colSpan={5} sx={{ color: 'text.secondary', textAlign: 'center' }}>
                  {t('commissioning.log.empty')}
                </TableCell>
              </TableRow>
            )}
            {entries.map((entry) => (
              <TableRow key={entry.id} hover sx={{ verticalAlign: 'top' }}>
                <TableCell sx={{ ...mono, whiteSpace: 'nowrap' }}>{time(entry.at)}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{entry.request}</TableCell>
                <TableCell sx={mono}>
                  {entry.result.traffic.length === 0 && '—'}
                  {entry.result.traffic.map((frame, i) => (
                    <div key={i}>
                      <Box
                        component="span"
                        sx={{ color: frame.direction === 'tx' ? 'primary.main' : 'secondary.main', fontWeight: 600 }}
                      >
                        {frame.direction === 'tx' ? 'TX ' : 'RX '}
                      </Box>
                      {frame.hex}
                    </div>
                  ))}
                </TableCell>
                <TableCell align="right" sx={{ ...mono, whiteSpace: 'nowrap' }}>
                  {entry.result.elapsedMs === null ? '—' : `${entry.result.elapsedMs} ms`}
                </TableCell>
                <TableCell
                  title={entry.result.ok ? undefined : entry.result.error}
                  sx={{ color: entry.result.ok ? 'success.main' : 'error.main' }}
                >
                  {outcome(entry.result)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Paper>
  );
}
