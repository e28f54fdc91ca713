// Commissioning tools for bringing up a new line: the Modbus read/write panel (with the serial
// port picker and the traffic log), the decode assistant, the OPC UA browser and the MQTT topic
// explorer. Each tool stays mounted while another tab is shown, so a poll keeps running and
// nothing typed is lost. Only roles with 'commission' see the screen; the gateway refuses the
// others' calls as well.
import { Alert, Box, Tab, Tabs } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleMay } from '../auth/role-access.ts';
import { PageHeader } from '../components/page-header.tsx';
import { useSignedInUser } from '../stores/session-store.ts';
import { DecodePanel } from './commissioning/decode-panel.tsx';
import { ModbusPanel, type ReadRegisters } from './commissioning/modbus-panel.tsx';
import { MqttExplorer } from './commissioning/mqtt-explorer.tsx';
import { OpcUaBrowser } from './commissioning/opcua-browser.tsx';

const TOOLS = ['modbus', 'decode', 'opcua', 'mqtt'] as const;
type Tool = (typeof TOOLS)[number];

export default function CommissioningPage() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const [tool, setTool] = useState<Tool>('modbus');
  const [toDecode, setToDecode] = useState<ReadRegisters | null>(null);

  if (!roleMay(user.role, 'commission')) {
    return (
      <Box>
        <PageHeader title={t('nav.commissioning')} />
        <Alert severity="warning" sx={{ mx: 3 }}>
          {t('commissioning.notAllowed', { role: t(`roles.${user.role}`) })}
        </Alert>
      </Box>
    );
  }

  const panel = (name: Tool) => ({
    role: 'tabpanel',
    id: `commissioning-${name}`,
    'aria-labelledby': `commissioning-tab-${name}`,
    hidden: tool !== name,
    sx: { px: 3, pb: 3 },
  });

  return (
    <Box>
      <PageHeader title={t('nav.commissioning')} />
      <Tabs
        value={tool}
        onChange={(_, value: Tool) => setTool(value)}
        sx={{ px: 3, mb: 2, borderBottom: 1, borderColor: 'divider' }}
        aria-label={t('nav.commissioning')}
      >
        {TOOLS.map((name) => (
          <Tab
            key={name}
            value={name}
            label={t(`commissioning.tabs.${name}`)}
            id={`commissioning-tab-${name}`}
            aria-controls={`commissioning-${name}`}
          />
        ))}
      </Tabs>
      <Box {...panel('modbus')}>
        <ModbusPanel
          onDecode={(read) => {
            setToDecode(read);
            setTool('decode');
          }}
        />
      </Box>
      <Box {...panel('decode')}>
        <DecodePanel from={toDecode} />
      </Box>
      <Box {...panel('opcua')}>
        <OpcUaBrowser />
      </Box>
      <Box {...panel('mqtt')}>
        <MqttExplorer />
      </Box>
    </Box>
  );
}
