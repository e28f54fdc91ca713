// Sign-in: the page at start, and the dialog over the open screen when a session has ended.
// While the gateway is still starting the form can be filled and sent: the sign-in then waits
// for the gateway and goes out as soon as it runs.
import { Alert, Button, CircularProgress, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { api, gatewayReady, useSession } from '../stores/session-store.ts';

interface SignInValues {
  username: string;
  password: string;
}

export function SignInForm({ username }: { username?: string }) {
  const { t } = useTranslation();
  const adopt = useSession((state) => state.adopt);
  const [failure, setFailure] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  const { register, handleSubmit, formState } = useForm<SignInValues>({
    defaultValues: { username: username ?? '', password: '' },
  });
  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (useSession.getState().access.kind === 'starting') {
        setWaiting(true);
        await gatewayReady();
        setWaiting(false);
      }
      const { session } = await api.auth.login.mutate(values);
      adopt(session);
    } catch (error) {
      setWaiting(false);
      setFailure(apiFailure(error).message);
    }
  });
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack spacing={2}>
        {failure && (
          <Alert severity="error" role="alert">
            {failure}
          </Alert>
        )}
        <TextField
          label={t('auth.username')}
          autoComplete="username"
          autoFocus={!username}
          required
          error={!!formState.errors.username}
          helperText={formState.errors.username && t('common.required')}
          {...register('username', { required: true })}
        />
        <TextField
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          autoFocus={!!username}
          required
          error={!!formState.errors.password}
          helperText={formState.errors.password && t('common.required')}
          {...register('password', { required: true })}
        />
        <Button
          type="submit"
          variant="contained"
          disabled={formState.isSubmitting}
          startIcon={waiting ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {waiting ? t('startup.signInWaiting') : t('auth.signIn')}
        </Button>
      </Stack>
    </form>
  );
}
