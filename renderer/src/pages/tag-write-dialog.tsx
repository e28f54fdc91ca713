// Writing a tag: a typed input (switch, whole number, decimal, text) checked against the tag's
// access and min/max with the problem named under the field; then a confirmation showing the
// value now and the value to write; then the device's answer (the value read back, or why not).
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { useLiveValue } from '../stores/live-values-store.ts';
import { api } from '../stores/session-store.ts';
import { liveValueText } from './live-value-text.ts';
import type { TagRow } from './tag-grid.tsx';
import { checkWriteValue, writeInputKind } from './tag-write-form.ts';

type WriteResult = ApiOutputs['tags']['write'];

type Step =
  | { kind: 'edit' }
  | { kind: 'confirm'; value: boolean | number | string }
  | { kind: 'sending'; value: boolean | number | string }
  | { kind: 'done'; value: boolean | number | string; result: WriteResult }
  | { kind: 'failed'; value: boolean | number | string; message: string };

export function TagWriteDialog({ tag, onClose }: { tag: TagRow; onClose(): void }) {
  const { t } = useTranslation();
  const live = useLiveValue(tag.id);
  const kind = writeInputKind(tag.dataType);
  const current = live?.view.value;
  const [entered, setEntered] = useState<boolean | string>(() =>
    kind === 'switch' ? current === true : current === null || current === undefined ? '' : String(current),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const unit = tag.unit ? ` ${tag.unit}` : '';

  function review() {
    const check = checkWriteValue(tag, entered);
    if (!check.ok) return setProblem(t(check.key, check.values));
    setProblem(null);
    setStep({ kind: 'confirm', value: check.value });
  }

  async function send(value: boolean | number | string) {
    setStep({ kind: 'sending', value });
    try {
      const result = await api.tags.write.mutate({ id: tag.id, value });
      setStep({ kind: 'done', value, result });
    } catch (error) {
      setStep({ kind: 'failed', value, message: apiFailure(error).message });
    }
  }

  const range =
    tag.minValue !== null || tag.maxValue !== null
      ? t('write.range', { min: tag.minValue ?? '−∞', max: tag.maxValue ?? '∞' })
      : undefined;

  return (
    <Dialog open onClose={onClose} aria-labelledby="write-title" fullWidth maxWidth="xs">
      <DialogTitle id="write-title">{t('write.title', { name: tag.name })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {t('write.current', { value: `${liveValueText(current)}${unit}` })}
        </DialogContentText>
        {step.kind === 'edit' && (
          <form
            id="write-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              review();
            }}
          >
            {kind === 'switch' ? (
              <FormControlLabel
                control={<Switch checked={entered === true} onChange={(event) => setEntered(event.target.checked)} />}
                label={t('write.newValue')}
              />
            ) : (
              <TextField
                autoFocus
                fullWidth
                label={`${t('write.newValue')}${unit ? ` (${tag.unit})` : ''}`}
                value={entered}
                onChange={(event) => setEntered(event.target.value)}
                error={problem !== null}
                helperText={problem ?? range ?? t('write.typeHint', { type: tag.dataType })}
                slotProps={{ htmlInput: { inputMode: kind === 'text' ? 'text' : 'decimal' } }}
              />
            )}
            {kind === 'switch' && problem && <Alert severity="error">{problem}</Alert>}
          </form>
        )}
        {step.kind === 'confirm' && (
          <Typography data-testid="write-confirm">
            {t('write.confirm', {
              name: tag.name,
              from: `${liveValueText(current)}${unit}`,
              to: `${liveValueText(step.value)}${unit}`,
            })}
          </Typography>
        )}
        {step.kind === 'sending' && <Typography role="status">{t('write.sending')}</Typography>}
        {step.kind === 'done' && (
          <Alert severity={step.result.success ? 'success' : 'error'} data-testid="write-result">
            {step.result.success
              ? t('write.succeeded', {
                  value:
                    step.result.actualValue === null
                      ? t('write.notReadBack')
                      : `${liveValueText(step.result.actualValue)}${unit}`,
                  ms: Math.round(step.result.elapsedMs),
                })
              : step.result.timedOut
                ? t('write.timedOut')
                : t('write.refused', { error: step.result.error })}
          </Alert>
        )}
        {step.kind === 'failed' && (
          <Alert severity="error" data-testid="write-result">
            {step.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {step.kind === 'edit' && (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" form="write-form" variant="contained">
              {t('write.review')}
            </Button>
          </>
        )}
        {step.kind === 'confirm' && (
          <>
            <Button onClick={() => setStep({ kind: 'edit' })}>{t('write.back')}</Button>
            <Button variant="contained" color="warning" autoFocus onClick={() => void send(step.value)}>
              {t('write.send')}
            </Button>
          </>
        )}
        {(step.kind === 'done' || step.kind === 'failed') && (
          <Stack direction="row" spacing={1}>
            <Button onClick={() => setStep({ kind: 'edit' })}>{t('write.again')}</Button>
            <Button variant="contained" onClick={onClose}>
              {t('common.close')}
            </Button>
          </Stack>
        )}
      </DialogActions>
    </Dialog>
  );
}
