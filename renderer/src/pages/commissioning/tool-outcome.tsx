// What a commissioning tool says after an action: the gateway's refusal in words, or the tag a
// "create tag" made (dismissable). The decode assistant, the OPC UA browser and the MQTT explorer
// show it in the same place.
import { Alert } from '@mui/material';
import { useTranslation } from 'react-i18next';

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
