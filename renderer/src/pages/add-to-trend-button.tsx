// "Add to trend" in the tag browser: the selected tags become pens of the open trend, and the
// Trends screen opens with them, in one action.
import ShowChartIcon from '@mui/icons-material/ShowChart';
import { Button } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../stores/navigation-store.ts';
import { useTrend } from '../stores/trend-store.ts';

export function AddToTrendButton({ tagIds }: { tagIds: ReadonlySet<string> }) {
  const { t } = useTranslation();
  return (
    <Button
      startIcon={<ShowChartIcon />}
      disabled={tagIds.size === 0}
      onClick={() => {
        useTrend.getState().addPens([...tagIds]);
        useNavigation.getState().go('trends');
      }}
    >
      {t('trends.addToTrend')}
    </Button>
  );
}
