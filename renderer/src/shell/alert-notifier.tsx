// The top bar's alert bell: how many CRITICAL and FATAL alerts are active, a notice when a new
// one fires, and (when the user turned it on) a tone. The alert history is polled every few
// seconds; the count links to the alerts screen.
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import { Alert, Badge, IconButton, Snackbar, Tooltip } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { usePreferences } from '../stores/preferences-store.ts';
import { api } from '../stores/session-store.ts';

const POLL_MS = 5_000;
type AlertRow = ApiOutputs['alerts']['history'][number];

export function AlertNotifier() {
  const { t } = useTranslation();
  const go = useNavigation((state) => state.go);
  const alertSound = usePreferences((state) => state.alertSound);
  const [active, setActive] = useState<AlertRow[]>([]);
  const [fresh, setFresh] = useState<AlertRow | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const sound = useRef(alertSound);
  sound.current = alertSound;

  useEffect(() => {
    let stopped = false;
    async function poll() {
      try {
        const rows = await api.alerts.history.query({
          statuses: ['ACTIVE'],
          levels: ['CRITICAL', 'FATAL'],
          limit: 200,
        });
        if (stopped) return;
        setActive(rows);
        // The first answer is what was already active at sign-in: no notice for those.
        const known = seen.current;
        const newest = known ? rows.find((row) => !known.has(row.id)) : undefined;
        seen.current = new Set(rows.map((row) => row.id));
        if (newest) {
          setFresh(newest);
          if (sound.current) playAlertTone();
        }
      } catch {
        // offline or signed out: the shell shows that; try again at the next tick
      }
    }
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      <Tooltip title={t('alerts.activeCritical', { count: active.length })}>
        <IconButton
          color="inherit"
          aria-label={t('alerts.activeCritical', { count: active.length })}
          onClick={() => go('alerts')}
        >
          <Badge badgeContent={active.length} color="error">
            <NotificationsActiveIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Snackbar
        open={fresh !== null}
        anchorOrigin={{ vertical: 'top', horizontal: 'center' }}
        onClose={(_event, reason) => reason !== 'clickaway' && setFresh(null)}
      >
        <Alert severity="error" variant="filled" onClose={() => setFresh(null)} role="alert">
          {fresh && t('alerts.newAlert', { level: t(`levels.${fresh.level}`), message: fresh.message })}
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
