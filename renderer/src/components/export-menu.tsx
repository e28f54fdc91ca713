// "Export" with a choice of CSV or JSON; the gateway builds the file, the browser saves it.
import DownloadIcon from '@mui/icons-material/Download';
import { Button, Menu, MenuItem } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFailure } from '../api/api-error-text.ts';
import { downloadFile } from './file-download.ts';
import type { TransferFormat } from './transfer-dialog.tsx';

interface ExportMenuProps {
  run(format: TransferFormat): Promise<{ fileName: string; content: string }>;
  onFailure(message: string): void;
}

export function ExportMenu({ run, onFailure }: ExportMenuProps) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  async function exportAs(format: TransferFormat) {
    setAnchor(null);
    try {
      const file = await run(format);
      downloadFile(file.fileName, file.content, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (error) {
      onFailure(apiFailure(error).message);
    }
  }
  return (
    <>
      <Button startIcon={<DownloadIcon />} onClick={(event) => setAnchor(event.currentTarget)}>
        {t('transfer.export')}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem onClick={() => void exportAs('csv')}>CSV</MenuItem>
        <MenuItem onClick={() => void exportAs('json')}>JSON</MenuItem>
      </Menu>
    </>
  );
}
