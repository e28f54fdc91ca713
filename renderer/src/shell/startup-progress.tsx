// The gateway's start on the sign-in page: which stage it is at, as words and a bar. The page
// opens before the gateway runs (the server and the window come first), so this is what a user
// sees for the few seconds the database, the WAL and the drivers take.
import { Alert, Box, LinearProgress, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { StartProgress } from '../stores/session-store.ts';

export function StartupProgress({ progress }: { progress: StartProgress }) {
  const { t } = useTranslation();
  const stage = t(`startup.stages.${progress.stage}`);
  return (
    <Box role="status" aria-live="polite" data-testid="startup-progress" sx={{ mb: 2 }}>
      <Typography variant="subtitle2">{t('startup.title')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t('startup.progress', { stage, step: progress.step, steps: progress.steps })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={(progress.step / (progress.steps + 1)) * 100}
        aria-label={t('startup.title')}
      />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {progress.freshDataFolder ? t('startup.firstStartNext') : t('startup.signInMeanwhile')}
      </Typography>
    </Box>
  );
}

export function StartFailed({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <Alert severity="error" role="alert">
      {/* the message may hold a long URL or path: it wraps anywhere rather than being cut off */}
      <Typography variant="body2" sx={{ mb: 1, overflowWrap: 'anywhere' }}>
        {message}
      </Typography>
      <Typography variant="body2">{t('startup.failedDetail')}</Typography>
    </Alert>
  );
}
