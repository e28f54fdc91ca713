// Saved trend sets: the user's own, kept on the gateway so they follow them to any workstation.
// Save the open trend (over the set it came from, or as a new one); list, open, rename, delete.
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  List,
  ListItem,
  ListItemButton,
  ListItemText,
  Stack,
  TextField,
  Tooltip,
} from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrendDefinition, TrendRange } from '../../../common/trend-definition.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure, type ApiFailure } from '../api/api-error-text.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { EmptyState, FailureState, LoadingState } from '../components/page-states.tsx';
import { useApiQuery } from '../components/use-api-query.ts';
import { formatDateTime } from '../i18n/formatters.ts';
import { api } from '../stores/session-store.ts';
import { useTrend, type OpenTrendSet } from '../stores/trend-store.ts';

type TrendSet = ApiOutputs['trends']['sets']['list'][number];

/** "Live, last 1 h", "Last 8 h", "2025/1/2 08:00 – 2025/1/2 09:00" */
export function useRangeText(): (range: TrendRange) => string {
  const { t } = useTranslation();
  return (range) =>
    range.mode === 'custom'
      ? `${formatDateTime(new Date(range.fromMs))} – ${formatDateTime(new Date(range.toMs))}`
      : t(range.mode === 'live' ? 'trends.rangeLive' : 'trends.rangeLast', {
          preset: t(`trends.presets.${range.preset}`),
        });
}

/** Saves the open trend under a name: over the open set when the name is kept, else as a new set. */
export function SaveTrendSetDialog({
  definition,
  openSet,
  onClose,
}: {
  definition: TrendDefinition;
  openSet: OpenTrendSet | null;
  onClose(saved: OpenTrendSet | null): void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(openSet?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const overwrite = openSet !== null && name.trim() === openSet.name;
  async function save() {
    setBusy(true);
    try {
      const saved = overwrite
        ? await api.trends.sets.update.mutate({ id: openSet.id, definition })
        : await api.trends.sets.create.mutate({ name, definition });
      onClose({ id: saved.id, name: saved.name });
    } catch (error) {
      setFailure(apiFailure(error));
      setBusy(false);
    }
  }
  return (
    <Dialog open onClose={() => onClose(null)} aria-labelledby="save-trend-title" fullWidth maxWidth="xs">
      <DialogTitle id="save-trend-title">{t('trends.saveSet')}</DialogTitle>
      <DialogContent>
        <TextField
          autoFocus
          fullWidth
          margin="dense"
          label={t('trends.setName')}
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => event.key === 'Enter' && name.trim() && !busy && void save()}
          error={failure?.field === 'name'}
          helperText={overwrite ? t('trends.overwrites', { name: openSet.name }) : t('trends.savesNew')}
          slotProps={{ htmlInput: { maxLength: 100 } }}
        />
        {failure && <FailureState failure={failure} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
        <Button variant="contained" disabled={busy || !name.trim()} onClick={() => void save()}>
          {t('common.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The user's saved sets: open one, rename or delete it. */
export function TrendSetsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const sets = useApiQuery(() => api.trends.sets.list.query(), []);
  const rangeText = useRangeText();
  const openSet = useTrend((state) => state.openSet);
  const [renaming, setRenaming] = useState<{ set: TrendSet; name: string } | null>(null);
  const [renameFailure, setRenameFailure] = useState<ApiFailure | null>(null);
  const [deleting, setDeleting] = useState<TrendSet | null>(null);

  async function rename() {
    if (!renaming) return;
    try {
      const renamed = await api.trends.sets.update.mutate({ id: renaming.set.id, name: renaming.name });
      if (openSet?.id === renamed.id) useTrend.getState().setOpenSet({ id: renamed.id, name: renamed.name });
      setRenaming(null);
      setRenameFailure(null);
      sets.reload();
    } catch (error) {
      setRenameFailure(apiFailure(error));
    }
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby="trend-sets-title" fullWidth maxWidth="sm">
      <DialogTitle id="trend-sets-title">{t('trends.sets')}</DialogTitle>
      <DialogContent dividers>
        {sets.loading && !sets.data && <LoadingState />}
        {sets.failure && <FailureState failure={sets.failure} onRetry={sets.reload} />}
        {sets.data?.length === 0 && <EmptyState title={t('trends.noSets')} />}
        <List dense aria-label={t('trends.sets')}>
          {(sets.data ?? []).map((set) =>
            renaming?.set.id === set.id ? (
              <ListItem key={set.id}>
                <Stack direction="row" spacing={1} sx={{ width: '100%', alignItems: 'flex-start' }}>
                  <TextField
                    autoFocus
                    size="small"
                    fullWidth
                    label={t('trends.setName')}
                    value={renaming.name}
                    onChange={(event) => setRenaming({ ...renaming, name: event.target.value })}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') void rename();
                      if (event.key === 'Escape') setRenaming(null);
                    }}
                    error={renameFailure !== null}
                    helperText={renameFailure?.message}
                    slotProps={{ htmlInput: { maxLength: 100 } }}
                  />
                  <Button onClick={() => void rename()} disabled={!renaming.name.trim()}>
                    {t('common.save')}
                  </Button>
                  <Button onClick={() => (setRenaming(null), setRenameFailure(null))}>{t('common.cancel')}</Button>
                </Stack>
              </ListItem>
            ) : (
              <ListItem
                key={set.id}
                disablePadding
                secondaryAction={
                  <>
                    <Tooltip title={t('trends.rename')}>
                      <IconButton
                        aria-label={t('trends.renameNamed', { name: set.name })}
                        onClick={() => setRenaming({ set, name: set.name })}
                      >
                        <EditIcon />
                      </IconButton>
                    </Tooltip>
                    <Tooltip title={t('common.delete')}>
                      <IconButton
                        aria-label={t('trends.deleteNamed', { name: set.name })}
                        onClick={() => setDeleting(set)}
                      >
                        <DeleteIcon />
                      </IconButton>
                    </Tooltip>
                  </>
                }
              >
                <ListItemButton
                  selected={openSet?.id === set.id}
                  onClick={() => {
                    useTrend.getState().open({ id: set.id, name: set.name }, set.definition);
                    onClose();
                  }}
                >
                  <ListItemText
                    primary={set.name}
                    secondary={`${t('trends.penCount', { count: set.definition.pens.length })} · ${rangeText(set.definition.range)} · ${formatDateTime(set.updatedAt)}`}
                  />
                </ListItemButton>
              </ListItem>
            ),
          )}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </DialogActions>
      {deleting && (
        <ConfirmDialog
          title={t('trends.deleteSet')}
          text={t('trends.deleteSetText', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={() => api.trends.sets.delete.mutate({ id: deleting.id })}
          onClose={(done) => {
            if (done && openSet?.id === deleting.id) useTrend.getState().setOpenSet(null);
            setDeleting(null);
            if (done) sets.reload();
          }}
        />
      )}
    </Dialog>
  );
}
