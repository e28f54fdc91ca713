// "Create mapping" beside an MQTT payload field, a plain payload or a Sparkplug metric: opens the
// create-tag dialog with the tag the explorer worked out for it.
import AddIcon from '@mui/icons-material/Add';
import { Button } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { TagDraft } from './create-tag-dialog.tsx';

export function CreateMappingButton(props: {
  /** the tag to propose; built on click, so a row costs nothing until it is used */
  draft: () => TagDraft;
  onCreate: (draft: TagDraft) => void;
  /** false when the user's role may not configure devices */
  mayCreate: boolean;
  /** names the field or metric for a screen reader when a table has one button per row */
  ariaLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      size="small"
      startIcon={<AddIcon />}
      sx={{ whiteSpace: 'nowrap' }}
      disabled={!props.mayCreate}
      aria-label={props.ariaLabel}
      onClick={() => props.onCreate(props.draft())}
    >
      {t('commissioning.mqtt.createMapping')}
    </Button>
  );
}
