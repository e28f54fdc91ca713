// Changing one's own password; forced when the account must choose a new one (a temporary
// password from an administrator, or an expired one).
import { Alert, Button, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api, useSession } from '../stores/session-store.ts';
import { passwordRule } from './password-field-rules.ts';

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm({ username, onChanged }: { username: string; onChanged?: () => void }) {
  const { t } = useTranslation();
  const adopt = useSession((state) => state.adopt);
  const [failure, setFailure] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const { register, handleSubmit, formState, getValues, setError, reset } = useForm<ChangePasswordValues>({
    mode: 'onTouched',
    defaultValues: { currentPassword: '', newPassword: '', repeat: '' },
  });
  const submit = handleSubmit(async ({ currentPassword, newPassword }) => {
    setFailure(null);
    setChanged(false);
    try {
      const { session } = await api.auth.changePassword.mutate({ currentPassword, newPassword });
      adopt(session);
      reset();
      setChanged(true);
      onChanged?.();
    } catch (error) {
      setFailure(showServerFieldErrors(apiFailure(error), FIELDS, setError));
    }
  });
  const { errors } = formState;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack spacing={2} sx={{ maxWidth: 420 }}>
        {failure && (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        )}
        {changed && <Alert severity="success">{t('auth.passwordChanged')}</Alert>}
        <TextField
          label={t('auth.currentPassword')}
          type="password"
          autoComplete="current-password"
          required
          error={!!errors.currentPassword}
          helperText={errors.currentPassword?.message || (errors.currentPassword && t('common.required'))}
          {...register('currentPassword', { required: true })}
        />
        <TextField
          label={t('auth.newPassword')}
          type="password"
          autoComplete="new-password"
          required
          error={!!errors.newPassword}
          helperText={errors.newPassword?.message ?? t('auth.passwordHint')}
          {...register('newPassword', { validate: passwordRule(() => username) })}
        />
        <TextField
          label={t('auth.repeatPassword')}
          type="password"
          autoComplete="new-password"
          required
          error={!!errors.repeat}
          helperText={errors.repeat?.message}
          {...register('repeat', {
            validate: (value) => value === getValues('newPassword') || t('auth.passwordsDiffer'),
          })}
        />
        <Button type="submit" variant="contained" disabled={formState.isSubmitting}>
          {t('auth.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}
