// What a commissioning tool says after an action: the gateway's refusal in words, or the tag a
// "create tag" made. The decode assistant, the OPC UA browser and the MQTT explorer show it in
// the same place. The "created" notice is news about one action: it closes by itself after
// CREATED_NOTICE_MS (or when dismissed, or when the tool starts something new), so that it does
// not stand over what the tool shows later as if it were about that.
import { Alert } from '@mui/material';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const CREATED_NOTICE_MS = 8_000;

export function ToolOutcome({
  failure,
  created,
  onDismissCreated,
}: {
  failure: string | null;
  created: string | null;
  onDismissCreated: () => void;
}) {
  const { t } = useTranslation();
  const dismiss = useRef(onDismissCreated);
  dismiss.current = onDismissCreated;
  useEffect(() => {
    if (!created) return;
    const timer = setTimeout(() => dismiss.current(), CREATED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [created]);
  return (
    <>
      {failure && (
        <Alert severity="error" role="alert">
          {failure}
        </Alert>
      )}
      {created && (
        <Alert severity="success" onClose={onDismissCreated}>
          {t('commissioning.createTag.created', { name: created })}
        </Alert>
      )}
    </>
  );
}
