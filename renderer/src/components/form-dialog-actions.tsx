// The footer of every form dialog: Cancel, and the form's submit button (Save unless the dialog
// names its action), disabled while the form is being sent.
import { Button, DialogActions } from '@mui/material';
import { useTranslation } from 'react-i18next';

export function FormDialogActions(props: {
  onCancel: () => void;
  submitting: boolean;
  /** the submit button's words (default: Save) */
  label?: string;
  color?: 'primary' | 'warning';
}) {
  const { t } = useTranslation();
  return (
    <DialogActions>
      <Button onClick={props.onCancel}>{t('common.cancel')}</Button>
      <Button type="submit" variant="contained" color={props.color ?? 'primary'} disabled={props.submitting}>
        {props.label ?? t('common.save')}
      </Button>
    </DialogActions>
  );
}
