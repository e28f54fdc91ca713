// Import of devices or tags from a CSV or JSON file. The gateway imports all or nothing: a file
// with any bad row changes nothing and answers with every problem, row by row, which is shown
// here so that the file can be fixed and tried again.
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';

type ImportReport = ApiOutputs['devices']['import'];
export type TransferFormat = 'csv' | 'json';

interface ImportDialogProps {
  what: string;
  run(input: { format: TransferFormat; content: string; replaceExisting: boolean }): Promise<ImportReport>;
  onClose(imported: boolean): void;
}

export function ImportDialog({ what, run, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [replaceExisting, setReplaceExisting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function start() {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setReport(null);
    try {
      const format: TransferFormat = file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      setReport(await run({ format, content: await file.text(), replaceExisting }));
    } catch (error) {
      setFailure(apiFailure(error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={() => onClose(!!report?.applied)} maxWidth="md" fullWidth aria-labelledby="import-title">
      <DialogTitle id="import-title">{t('transfer.importTitle', { what })}</DialogTitle>
      <DialogContent>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t('transfer.importIntro')}
        </Typography>
        <Button variant="outlined" component="label">
          {t('transfer.chooseFile')}
          <input
            hidden
            type="file"
            accept=".csv,.json,text/csv,application/json"
            data-testid="import-file"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </Button>
        <Typography component="span" sx={{ ml: 2 }}>
          {file?.name ?? t('transfer.noFile')}
        </Typography>
        <FormControlLabel
          sx={{ display: 'block', mt: 1 }}
          control={
            <Checkbox checked={replaceExisting} onChange={(event) => setReplaceExisting(event.target.checked)} />
          }
          label={t('transfer.replaceExisting')}
        />
        {busy && <LinearProgress sx={{ my: 2 }} />}
        {failure && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {failure}
          </Alert>
        )}
        {report?.applied && (
          <Alert severity="success" sx={{ mt: 2 }} role="status">
            {t('transfer.applied', { records: report.records, created: report.created, updated: report.updated })}
          </Alert>
        )}
        {report && !report.applied && (
          <>
            <Alert severity="error" sx={{ mt: 2 }} role="alert">
              {t('transfer.rejected', { count: report.problems.length })}
            </Alert>
            <Table size="small" aria-label={t('transfer.problems')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('transfer.row')}</TableCell>
                  <TableCell>{t('transfer.field')}</TableCell>
                  <TableCell>{t('transfer.problem')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.problems.map((problem, index) => (
                  <TableRow key={index}>
                    <TableCell>{problem.row}</TableCell>
                    <TableCell>{problem.field ?? '—'}</TableCell>
                    <TableCell>{problem.message}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(!!report?.applied)}>{t('common.close')}</Button>
        <Button variant="contained" disabled={!file || busy} onClick={() => void start()}>
          {t('transfer.import')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
