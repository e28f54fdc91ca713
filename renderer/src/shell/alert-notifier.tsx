// The top bar's alert bell: how many open alerts nobody has acknowledged yet, a notice when a
// CRITICAL or FATAL alert fires, and (when the user turned it on) a tone. Both come from the
// shared live list (system.events), not from polling; the bell opens the alerts screen.
import CloseIcon from '@mui/icons-material/Close';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import { Alert, Badge, Button, IconButton, Snackbar, Tooltip } from '@mui/material';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useActiveAlerts, watchActiveAlerts } from '../stores/active-alerts-store.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { usePreferences } from '../stores/preferences-store.ts';

export function AlertNotifier() {
  const { t } = useTranslation();
  const go = useNavigation((state) => state.go);
  const unacknowledged = useActiveAlerts(
    (state) => state.alerts?.filter((alert) => alert.status === 'ACTIVE').length ?? 0,
  );
  const announcement = useActiveAlerts((state) => state.announcement);
  const dismiss = useActiveAlerts((state) => state.dismiss);

  useEffect(
    () =>
      watchActiveAlerts(() => {
        if (usePreferences.getState().alertSound) playAlertTone();
      }),
    [],
  );

  const label = t('alerts.unacknowledged', { count: unacknowledged });
  return (
    <>
      <Tooltip title={label}>
        <IconButton color="inherit" aria-label={label} onClick={() => go('alerts')} data-testid="alert-bell">
          <Badge badgeContent={unacknowledged} color="error" max={999}>
            <NotificationsActiveIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Snackbar
        open={announcement !== null}
        anchorOrigin={{ vertical: 'top', horizontal: 'center' }}
        onClose={(_event, reason) => reason !== 'clickaway' && dismiss()}
      >
        <Alert
          severity="error"
          variant="filled"
          role="alert"
          data-testid="alert-announcement"
          action={
            <>
              <Button
                color="inherit"
                size="small"
                onClick={() => {
                  dismiss();
                  go('alerts');
                }}
              >
                {t('alerts.show')}
              </Button>
              <IconButton color="inherit" size="small" aria-label={t('common.close')} onClick={dismiss}>
                <CloseIcon fontSize="small" />
              </IconButton>
            </>
          }
        >
          {announcement &&
            t('alerts.newAlert', { level: t(`levels.${announcement.level}`), message: announcement.message })}
        </Alert>
      </Snackbar>
    </>
  );
}

/** A short two-tone chime made on the spot: no sound file to ship or to load. */
function playAlertTone(): void {
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = 0.15;
  gain.connect(context.destination);
  [880, 660].forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(context.currentTime + index * 0.25);
    oscillator.stop(context.currentTime + index * 0.25 + 0.2);
  });
  setTimeout(() => void context.close(), 1_000);
}
