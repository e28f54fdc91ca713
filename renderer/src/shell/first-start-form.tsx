// First start: no account exists yet; the first administrator is created here.
import { Alert, Button, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { NewPasswordFields } from '../components/new-password-fields.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api, useSession } from '../stores/session-store.ts';

interface FirstStartValues {
  username: string;
  fullName: string;
  password: string;
  repeat: string;
  setupCode: string;
}

const FIELDS = ['username', 'fullName', 'password', 'setupCode'] as const;

export function FirstStartForm({ setupCodeRequired }: { setupCodeRequired: boolean }) {
  const { t } = useTranslation();
  const adopt = useSession((state) => state.adopt);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<FirstStartValues>({
    mode: 'onTouched',
    defaultValues: { username: '', fullName: '', password: '', repeat: '', setupCode: '' },
  });
  const { register, handleSubmit, formState, getValues, setError } = form;
  const submit = handleSubmit(async ({ repeat: _repeat, setupCode, ...values }) => {
    setFailure(null);
    try {
      const { session } = await api.auth.setup.mutate({
        ...values,
        ...(setupCodeRequired ? { setupCode } : {}),
      });
      adopt(session);
    } catch (error) {
      setFailure(showServerFieldErrors(apiFailure(error), FIELDS, setError));
    }
  });
  const { errors } = formState;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack spacing={2}>
        <Typography color="text.secondary">{t('auth.firstStartIntro')}</Typography>
        {failure && (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        )}
        <TextField
          label={t('auth.username')}
          autoComplete="username"
          autoFocus
          required
          error={!!errors.username}
          helperText={errors.username?.message || (errors.username && t('common.required'))}
          {...register('username', { required: true })}
        />
        <TextField label={t('users.fullName')} autoComplete="name" {...register('fullName')} />
        <NewPasswordFields form={form} name="password" repeatName="repeat" username={() => getValues('username')} />
        {setupCodeRequired && (
          <TextField
            label={t('auth.setupCode')}
            required
            error={!!errors.setupCode}
            helperText={errors.setupCode?.message ?? t('auth.setupCodeHint')}
            {...register('setupCode', { required: true })}
          />
        )}
        <Button type="submit" variant="contained" disabled={formState.isSubmitting}>
          {t('auth.createAdmin')}
        </Button>
      </Stack>
    </form>
  );
}
