// Tag browser: devices on the left (each with its tags' count), every tag in a virtualized grid
// on the right with its live value, with search and filters; writable tags can be written (by the
// roles that may); tag definitions can be imported and exported.
import UploadIcon from '@mui/icons-material/Upload';
import {
  Alert,
  Box,
  Button,
  List,
  ListItemButton,
  ListItemText,
  MenuItem,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TAG_ACCESS, TAG_DATA_TYPES } from '../../../common/enums.ts';
import { roleMay } from '../auth/role-access.ts';
import { ExportMenu } from '../components/export-menu.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { ImportDialog } from '../components/transfer-dialog.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatNumber } from '../i18n/formatters.ts';
import { api, useSignedInUser } from '../stores/session-store.ts';
import { AddToTrendButton } from './add-to-trend-button.tsx';
import { TagGrid, type TagRow } from './tag-grid.tsx';
import { TagLiveStream, type ViewChange } from './tag-live-stream.tsx';
import { TagWriteDialog } from './tag-write-dialog.tsx';
import { tagIsWritable } from './tag-write-form.ts';

const PAGE = 5_000; // the API's largest page

/** Every tag, page by page (10,000 tags are two calls). */
async function loadAllTags(): Promise<TagRow[]> {
  const first = await api.tags.list.query({ limit: PAGE, offset: 0 });
  const rows = [...first.tags];
  while (rows.length < first.total) {
    const next = await api.tags.list.query({ limit: PAGE, offset: rows.length });
    if (next.tags.length === 0) break;
    rows.push(...next.tags);
  }
  return rows;
}

export default function TagsPage() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const tags = useApiQuery(loadAllTags, []);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [dataType, setDataType] = useState('');
  const [access, setAccess] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [writing, setWriting] = useState<TagRow | null>(null);
  const mayWrite = roleMay(user.role, 'write-tags');
  const query = useDeferredValue(search.trim().toLowerCase());

  const deviceNames = useMemo(() => new Map((devices.data ?? []).map((d) => [d.id, d.name])), [devices.data]);
  const counts = useMemo(() => {
    const perDevice = new Map<string, number>();
    for (const tag of tags.data ?? []) perDevice.set(tag.deviceId, (perDevice.get(tag.deviceId) ?? 0) + 1);
    return perDevice;
  }, [tags.data]);
  const rows = useMemo(
    () =>
      (tags.data ?? []).filter(
        (tag) =>
          (!deviceId || tag.deviceId === deviceId) &&
          (!dataType || tag.dataType === dataType) &&
          (!access || tag.accessType === access) &&
          (!query ||
            tag.name.toLowerCase().includes(query) ||
            tag.address.toLowerCase().includes(query) ||
            (tag.description ?? '').toLowerCase().includes(query)),
      ),
    [tags.data, deviceId, dataType, access, query],
  );

  // the grid's view changes go to the live stream alone: scrolling does not re-render this page
  const viewChange = useRef<ViewChange>(null);
  const viewChanged = useCallback((first: number, last: number) => viewChange.current?.(first, last), []);

  // stable handlers: the grid's rows re-render only when their own props change
  const toggle = useCallback((tagId: string) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(tagId)) next.delete(tagId);
      else next.add(tagId);
      return next;
    });
  }, []);
  const open = useCallback(
    (tag: TagRow) => {
      if (mayWrite && tagIsWritable(tag)) setWriting(tag);
    },
    [mayWrite],
  );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <PageHeader title={t('nav.tags')}>
        {roleMay(user.role, 'configure-devices') && (
          <Button startIcon={<UploadIcon />} onClick={() => setImporting(true)}>
            {t('transfer.import')}
          </Button>
        )}
        <ExportMenu
          run={(format) => api.tags.export.query({ format, ...(deviceId ? { deviceId } : {}) })}
          onFailure={setNotice}
        />
      </PageHeader>
      {notice && (
        <Alert severity="error" onClose={() => setNotice(null)} sx={{ mx: 3 }}>
          {notice}
        </Alert>
      )}
      <TagLiveStream rows={rows} writing={writing} viewChange={viewChange} />
      <Stack
        direction="row"
        spacing={2}
        useFlexGap
        sx={{ px: 3, pb: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}
      >
        <TextField
          label={t('tags.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          sx={{ width: 280 }}
          slotProps={{ htmlInput: { 'data-testid': 'tag-search' } }}
        />
        <TextField
          select
          label={t('tags.columns.dataType')}
          value={dataType}
          onChange={(e) => setDataType(e.target.value)}
          sx={{ width: 150 }}
        >
          <MenuItem value="">{t('common.all')}</MenuItem>
          {TAG_DATA_TYPES.map((type) => (
            <MenuItem key={type} value={type}>
              {type}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label={t('tags.columns.access')}
          value={access}
          onChange={(e) => setAccess(e.target.value)}
          sx={{ width: 150 }}
        >
          <MenuItem value="">{t('common.all')}</MenuItem>
          {TAG_ACCESS.map((kind) => (
            <MenuItem key={kind} value={kind}>
              {t(`access.${kind}`)}
            </MenuItem>
          ))}
        </TextField>
        <Typography color="text.secondary" role="status" data-testid="tag-count">
          {tags.data && t('tags.shown', { shown: formatNumber(rows.length), total: formatNumber(tags.data.length) })}
        </Typography>
        {selected.size > 0 && <Typography color="primary">{t('tags.selected', { count: selected.size })}</Typography>}
        <AddToTrendButton tagIds={selected} />
      </Stack>
      {(tags.failure ?? devices.failure) && (
        <FailureState failure={(tags.failure ?? devices.failure)!} onRetry={() => (tags.reload(), devices.reload())} />
      )}
      <Box sx={{ display: 'flex', flexGrow: 1, minHeight: 0, px: 3, pb: 2, gap: 2 }}>
        <Paper variant="outlined" sx={{ width: 168, overflow: 'auto', flexShrink: 0 }}>
          <List dense aria-label={t('tags.tree')} component="nav">
            <ListItemButton selected={deviceId === null} onClick={() => setDeviceId(null)}>
              <ListItemText primary={t('tags.allDevices')} secondary={formatNumber(tags.data?.length ?? 0)} />
            </ListItemButton>
            {(devices.data ?? []).map((device) => (
              <ListItemButton
                key={device.id}
                selected={deviceId === device.id}
                onClick={() => setDeviceId(device.id)}
                sx={{ pl: 4 }}
              >
                <ListItemText primary={device.name} secondary={formatNumber(counts.get(device.id) ?? 0)} />
              </ListItemButton>
            ))}
          </List>
        </Paper>
        <Paper variant="outlined" sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          {tags.loading && !tags.data && <LoadingState />}
          {tags.data && rows.length === 0 && (
            <EmptyState title={tags.data.length ? t('common.noMatches') : t('tags.none')} />
          )}
          {rows.length > 0 && (
            <TagGrid
              rows={rows}
              deviceNames={deviceNames}
              selected={selected}
              onToggle={toggle}
              onOpen={open}
              onWrite={mayWrite ? setWriting : undefined}
              onViewChange={viewChanged}
            />
          )}
        </Paper>
      </Box>
      {writing && <TagWriteDialog tag={writing} onClose={() => setWriting(null)} />}
      {importing && (
        <ImportDialog
          what={t('nav.tags')}
          run={(input) => api.tags.import.mutate(input)}
          onClose={(imported) => {
            setImporting(false);
            if (imported) tags.reload();
          }}
        />
      )}
    </Box>
  );
}
