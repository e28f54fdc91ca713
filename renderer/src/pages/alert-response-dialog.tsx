// Acknowledge or shelve one or more open alerts with an optional comment (and, to shelve, a
// duration). Each alert's outcome is reported: in a bulk action an alert someone else has just
// acknowledged is refused alone, and the dialog says which and why.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { FailureState } from '../components/page-states.tsx';
import type { ActiveAlert } from '../stores/active-alerts-store.ts';
import { api } from '../stores/session-store.ts';
import { INITIAL_SHELVE_MS, ShelveDurationPicker } from './shelve-duration-picker.tsx';

export type AlertResponse = 'acknowledge' | 'shelve';

const MAX_COMMENT = 2_000;
/** the alerts named in the dialog; the rest are counted */
const LISTED = 5;

interface Refusal {
  message: string;
  error: string;
}

interface AlertResponseDialogProps {
  action: AlertResponse;
  alerts: readonly ActiveAlert[];
  onClose(): void;
}

export function AlertResponseDialog({ action, alerts, onClose }: AlertResponseDialogProps) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [durationMs, setDurationMs] = useState<number | null>(INITIAL_SHELVE_MS);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof apiFailure> | null>(null);
  const [refusals, setRefusals] = useState<Refusal[] | null>(null);
  const title = t(`alerts.${action}Title`, { count: alerts.length });
  const tooLong = comment.length > MAX_COMMENT;

  async function perform(): Promise<Refusal[]> {
    const text = comment.trim() || undefined;
    const messageOf = new Map(alerts.map((alert) => [alert.id, alert.message]));
    if (action === 'acknowledge') {
      const results = await api.alerts.acknowledge.mutate({ ids: alerts.map((alert) => alert.id), comment: text });
      return results
        .filter((result) => !result.ok)
        .map((result) => ({ message: messageOf.get(result.id) ?? result.id, error: result.error ?? '' }));
    }
    const refused: Refusal[] = [];
    for (const alert of alerts) {
      try {
        await api.alerts.shelve.mutate({ id: alert.id, durationMs: durationMs!, comment: text });
      } catch (error) {
        refused.push({ message: alert.message, error: apiFailure(error).message });
      }
    }
    return refused;
  }

  async function submit() {
    setBusy(true);
    setFailure(null);
    try {
      const refused = await perform();
      if (refused.length === 0) return onClose();
      setRefusals(refused);
    } catch (error) {
      setFailure(apiFailure(error));
    }
    setBusy(false);
  }

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="alert-response-title">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!refusals) void submit();
        }}
      >
        <DialogTitle id="alert-response-title">{title}</DialogTitle>
        <DialogContent>
          {refusals ? (
            <Alert severity="warning" data-testid="alert-response-refusals">
              {t(`alerts.${action}Partly`, { done: alerts.length - refusals.length, count: refusals.length })}
              <List dense>
                {refusals.map((refusal, index) => (
                  <ListItem key={index} disableGutters>
                    {refusal.message}: {refusal.error}
                  </ListItem>
                ))}
              </List>
            </Alert>
          ) : (
            <Stack spacing={2} sx={{ pt: 1 }}>
              <List dense aria-label={t('alerts.chosenAlerts')}>
                {alerts.slice(0, LISTED).map((alert) => (
                  <ListItem key={alert.id} disableGutters>
                    {alert.message}
                  </ListItem>
                ))}
                {alerts.length > LISTED && (
                  <ListItem disableGutters>{t('alerts.andMore', { count: alerts.length - LISTED })}</ListItem>
                )}
              </List>
              {action === 'shelve' && <ShelveDurationPicker onChange={setDurationMs} />}
              <TextField
                label={t('alerts.comment')}
                multiline
                minRows={2}
                autoFocus
                value={comment}
                onChange={(event) => setComment(event.target.value)}
                error={tooLong}
                helperText={tooLong ? t('alerts.commentTooLong', { max: MAX_COMMENT }) : t('alerts.commentHint')}
              />
              {failure && <FailureState failure={failure} />}
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          {refusals ? (
            <Button onClick={onClose} variant="contained">
              {t('common.close')}
            </Button>
          ) : (
            <>
              <Button onClick={onClose}>{t('common.cancel')}</Button>
              <Button
                type="submit"
                variant="contained"
                disabled={busy || tooLong || (action === 'shelve' && durationMs === null)}
              >
                {t(`alerts.${action}`)}
              </Button>
            </>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
