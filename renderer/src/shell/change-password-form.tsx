// Changing one's own password; forced when the account must choose a new one (a temporary
// password from an administrator, or an expired one).
import { Alert, Button, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { NewPasswordFields } from '../components/new-password-fields.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api, useSession } from '../stores/session-store.ts';

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
  const form = useForm<ChangePasswordValues>({
    mode: 'onTouched',
    defaultValues: { currentPassword: '', newPassword: '', repeat: '' },
  });
  const { register, handleSubmit, formState, setError, reset } = form;
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
        <NewPasswordFields form={form} name="newPassword" repeatName="repeat" username={() => username} />
        <Button type="submit" variant="contained" disabled={formState.isSubmitting}>
          {t('auth.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}
