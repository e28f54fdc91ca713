// Commissioning tools: serial ports, one-off Modbus reads and writes, the decode assistant, the
// OPC UA browser and the MQTT topic explorer. Their API procedures are not in the gateway yet.
import { Box } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/page-header.tsx';
import { NotYetAvailable } from '../components/page-states.tsx';

export default function CommissioningPage() {
  const { t } = useTranslation();
  return (
    <Box>
      <PageHeader title={t('nav.commissioning')} />
      <NotYetAvailable what={t('commissioning.tools')} />
    </Box>
  );
}
