// Asks before a change that cannot be undone (delete, lock, revoke), naming what it touches.
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { FailureState } from './page-states.tsx';

interface ConfirmDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<unknown>;
  onClose(done: boolean): void;
}

export function ConfirmDialog({ title, text, confirmLabel, danger, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof apiFailure> | null>(null);
  async function confirm() {
    setBusy(true);
    try {
      await onConfirm();
      onClose(true);
    } catch (error) {
      setFailure(apiFailure(error));
      setBusy(false);
    }
  }
  return (
    <Dialog open onClose={() => onClose(false)} aria-labelledby="confirm-title">
      <DialogTitle id="confirm-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{text}</DialogContentText>
        {failure && <FailureState failure={failure} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
        <Button
          onClick={() => void confirm()}
          color={danger ? 'error' : 'primary'}
          variant="contained"
          disabled={busy}
          autoFocus
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
