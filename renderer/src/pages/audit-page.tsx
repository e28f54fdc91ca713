// The audit trail (ADMIN): every change, sign-in, failed sign-in and export, newest first,
// filtered by user, action, outcome and time.
import {
  Box,
  Button,
  Chip,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure, type ApiFailure } from '../api/api-error-text.ts';
import { DateTimeField } from '../components/date-time-field.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime } from '../i18n/formatters.ts';
import { api } from '../stores/session-store.ts';

type Entry = ApiOutputs['audit']['query'][number];
const PAGE = 200;

export default function AuditPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<'all' | 'success' | 'failure'>('all');
  const [from, setFrom] = useState<Date | undefined>();
  const [to, setTo] = useState<Date | undefined>();
  const [more, setMore] = useState<Entry[]>([]);
  const [moreFailure, setMoreFailure] = useState<ApiFailure | null>(null);
  const filter = {
    ...(username.trim() ? { username: username.trim() } : {}),
    ...(action.trim() ? { action: action.trim() } : {}),
    ...(outcome === 'all' ? {} : { success: outcome === 'success' }),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const entries = useApiQuery(() => {
    setMore([]);
    return api.audit.query.query({ ...filter, limit: PAGE, offset: 0 });
  }, [username, action, outcome, from?.getTime(), to?.getTime()]);
  const rows = [...(entries.data ?? []), ...more];

  async function loadMore() {
    try {
      const next = await api.audit.query.query({ ...filter, limit: PAGE, offset: rows.length });
      setMore((previous) => [...previous, ...next]);
    } catch (error) {
      setMoreFailure(apiFailure(error));
    }
  }

  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.audit')} />
      <Stack direction="row" spacing={2} useFlexGap sx={{ px: 3, pb: 2, flexWrap: 'wrap', rowGap: 2 }}>
        <TextField label={t('audit.user')} value={username} onChange={(event) => setUsername(event.target.value)} />
        <TextField
          label={t('audit.action')}
          placeholder="devices."
          value={action}
          onChange={(event) => setAction(event.target.value)}
        />
        <TextField
          select
          label={t('audit.outcome')}
          value={outcome}
          onChange={(event) => setOutcome(event.target.value as typeof outcome)}
          sx={{ width: 160 }}
        >
          <MenuItem value="all">{t('common.all')}</MenuItem>
          <MenuItem value="success">{t('audit.succeeded')}</MenuItem>
          <MenuItem value="failure">{t('audit.failed')}</MenuItem>
        </TextField>
        <DateTimeField label={t('common.from')} value={from} onChange={setFrom} />
        <DateTimeField label={t('common.to')} value={to} onChange={setTo} />
      </Stack>
      {entries.failure && <FailureState failure={entries.failure} onRetry={entries.reload} />}
      {entries.loading && !entries.data && <LoadingState />}
      {entries.data?.length === 0 && <EmptyState title={t('common.noMatches')} />}
      {rows.length > 0 && (
        <Table size="small" aria-label={t('nav.audit')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('audit.time')}</TableCell>
              <TableCell>{t('audit.user')}</TableCell>
              <TableCell>{t('audit.action')}</TableCell>
              <TableCell>{t('audit.resource')}</TableCell>
              <TableCell>{t('audit.outcome')}</TableCell>
              <TableCell>{t('audit.details')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((entry) => (
              <TableRow key={entry.id} hover>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.createdAt)}</TableCell>
                <TableCell>{String(entry.details?.username ?? '—')}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{entry.action}</TableCell>
                <TableCell>{entry.resourceType ?? '—'}</TableCell>
                <TableCell>
                  {entry.success ? (
                    <Chip size="small" color="success" variant="outlined" label={t('audit.succeeded')} />
                  ) : (
                    <Chip
                      size="small"
                      color="error"
                      variant="outlined"
                      label={t('audit.failed')}
                      title={entry.errorMessage ?? ''}
                    />
                  )}
                </TableCell>
                <TableCell sx={{ fontFamily: 'monospace', fontSize: 12, maxWidth: 480, wordBreak: 'break-all' }}>
                  {entry.errorMessage ? `${entry.errorMessage} ` : ''}
                  {detailsText(entry.details)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {moreFailure && <FailureState failure={moreFailure} />}
      {entries.data && entries.data.length + more.length >= PAGE && rows.length % PAGE === 0 && (
        <Box sx={{ textAlign: 'center', pt: 2 }}>
          <Button onClick={() => void loadMore()}>{t('common.loadMore')}</Button>
        </Box>
      )}
    </Box>
  );
}

function detailsText(details: Record<string, unknown> | null): string {
  if (!details) return '';
  const { username: _username, ...rest } = details;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}
