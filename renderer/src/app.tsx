// The workstation: connecting, the gateway starting (the sign-in form with its progress) or
// failed to start, first start, sign-in, a password change that is due, or the signed-in shell;
// themed and translated per the user's preferences.
import { Alert, Box, Card, CardContent, CssBaseline, ThemeProvider, Typography } from '@mui/material';
import { enUS, zhCN } from '@mui/material/locale';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { LoadingState } from './components/page-states.tsx';
import { AppShell } from './shell/app-shell.tsx';
import { ChangePasswordForm } from './shell/change-password-form.tsx';
import { FirstStartForm } from './shell/first-start-form.tsx';
import { SignInForm } from './shell/sign-in-form.tsx';
import { StartFailed, StartupProgress } from './shell/startup-progress.tsx';
import { usePreferences } from './stores/preferences-store.ts';
import { useSession } from './stores/session-store.ts';
import { appTheme } from './theme/app-theme.ts';

export function App() {
  const themeMode = usePreferences((state) => state.themeMode);
  const language = usePreferences((state) => state.language);
  const theme = useMemo(() => appTheme(themeMode, language === 'zh-CN' ? zhCN : enUS), [themeMode, language]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Workstation />
    </ThemeProvider>
  );
}

function Workstation() {
  const { t } = useTranslation();
  const access = useSession((state) => state.access);
  const start = useSession((state) => state.start);
  useEffect(() => {
    void start();
  }, [start]);

  switch (access.kind) {
    case 'connecting':
      return (
        <CenteredCard title={t('app.title')}>
          <LoadingState label={t('app.connecting')} />
        </CenteredCard>
      );
    case 'start-failed':
      return (
        <CenteredCard title={t('startup.failedTitle')}>
          <StartFailed message={access.message} />
        </CenteredCard>
      );
    case 'unreachable':
      return (
        <CenteredCard title={t('app.title')}>
          <Alert severity="error">{t('app.unreachable', { message: access.message })}</Alert>
        </CenteredCard>
      );
    case 'first-start':
      return (
        <CenteredCard title={t('auth.firstStartTitle')}>
          <FirstStartForm setupCodeRequired={access.setupCodeRequired} />
        </CenteredCard>
      );
    case 'starting':
    case 'signed-out':
      // A new data folder's first start ends on the first-start form, not on a sign-in.
      if (access.kind === 'starting' && access.progress.freshDataFolder) {
        return (
          <CenteredCard title={t('auth.firstStartTitle')}>
            <StartupProgress progress={access.progress} />
          </CenteredCard>
        );
      }
      // One tree for both: the form (and what was typed in it) stays when the gateway is ready.
      return (
        <CenteredCard title={t('auth.signInTitle')}>
          {access.kind === 'starting' ? <StartupProgress progress={access.progress} /> : null}
          <SignInForm />
        </CenteredCard>
      );
    case 'signed-in':
      if (access.session.user.mustChangePassword) {
        return (
          <CenteredCard title={t('auth.passwordChangeDue')}>
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {t('auth.passwordChangeDueDetail')}
            </Typography>
            <ChangePasswordForm username={access.session.user.username} />
          </CenteredCard>
        );
      }
      return <AppShell />;
  }
}

function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box
      component="main"
      sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', p: 2 }}
    >
      <Card sx={{ width: 440, maxWidth: '100%' }} variant="outlined">
        <CardContent>
          <Typography variant="overline" color="text.secondary">
            {t('app.title')}
          </Typography>
          <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
            {title}
          </Typography>
          {children}
        </CardContent>
      </Card>
    </Box>
  );
}
