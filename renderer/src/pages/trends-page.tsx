// Trends: several tags over time, live or over a historical range. The historian's query
// procedures (server-side downsampling) are not in the gateway's API yet.
import { Box } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/page-header.tsx';
import { NotYetAvailable } from '../components/page-states.tsx';

export default function TrendsPage() {
  const { t } = useTranslation();
  return (
    <Box>
      <PageHeader title={t('nav.trends')} />
      <NotYetAvailable what={t('trends.historian')} />
    </Box>
  );
}
