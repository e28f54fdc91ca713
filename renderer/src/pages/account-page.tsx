// One's own account: who is signed in, the password change, and the workstation's preferences.
import { Box, Card, CardContent, FormControlLabel, Stack, Switch, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../i18n/formatters.ts';
import { ChangePasswordForm } from '../shell/change-password-form.tsx';
import { usePreferences } from '../stores/preferences-store.ts';
import { useSession, useSignedInUser } from '../stores/session-store.ts';

export default function AccountPage() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const access = useSession((state) => state.access);
  const { alertSound, setAlertSound } = usePreferences();
  return (
    <Box sx={{ pb: 3 }}>
      <PageHeader title={t('nav.account')} />
      <Stack spacing={2} sx={{ px: 3, maxWidth: 640 }}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h3">
              {user.fullName ?? user.username}
            </Typography>
            <Typography color="text.secondary">
              {user.username} · {t(`roles.${user.role}`)}
            </Typography>
            {access.kind === 'signed-in' && (
              <Typography color="text.secondary">
                {t('account.sessionUntil', { time: formatDateTime(access.session.expiresAt) })}
              </Typography>
            )}
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h3" sx={{ mb: 2 }}>
              {t('auth.changePassword')}
            </Typography>
            <ChangePasswordForm username={user.username} />
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h3">
              {t('account.preferences')}
            </Typography>
            <FormControlLabel
              control={<Switch checked={alertSound} onChange={(event) => setAlertSound(event.target.checked)} />}
              label={t('account.alertSound')}
            />
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
