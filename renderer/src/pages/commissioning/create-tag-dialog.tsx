// "Create tag" from a commissioning tool: the address, data type, access and scaling the tool
// found are filled in; the engineer picks the device (of the tool's protocol), names the tag and
// saves it through tags.create, with the gateway's field errors under the fields.
import { Alert, Dialog, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  TAG_ACCESS,
  TAG_DATA_TYPES,
  type ProtocolKind,
  type TagAccess,
  type TagDataType,
} from '../../../../common/enums.ts';
import { apiFailure } from '../../api/api-error-text.ts';
import { FormSelect, plainOptions } from '../../components/form-fields.tsx';
import { showServerFieldErrors } from '../../components/server-field-errors.ts';
import { useApiQuery } from '../../components/use-api-query.ts';
import { api } from '../../stores/session-store.ts';
import { FormDialogActions } from '../../components/form-dialog-actions.tsx';

export interface TagDraft {
  name: string;
  address: string;
  dataType: TagDataType;
  accessType?: TagAccess;
  scaling?: number;
  description?: string;
  /** the device to preselect */
  deviceId?: string;
}

interface TagFormValues {
  deviceId: string;
  name: string;
  address: string;
  dataType: TagDataType;
  accessType: TagAccess;
  scaling: number;
  unit: string;
  description: string;
}

const FIELDS = ['deviceId', 'name', 'address', 'dataType', 'accessType', 'scaling', 'unit', 'description'];

/** A tag name from free text: letters, digits and underscores ("Plant.Temperature" → "Plant_Temperature"). */
export function tagNameOf(text: string): string {
  const name = text
    .replace(/^\d+:/, '')
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return name.slice(0, 255) || 'tag';
}

export function CreateTagDialog({
  draft,
  protocols,
  onClose,
}: {
  draft: TagDraft;
  /** the protocols whose devices the tag may belong to */
  protocols: readonly ProtocolKind[];
  onClose(created: string | null): void;
}) {
  const { t } = useTranslation();
  const devices = useApiQuery(() => api.devices.list.query(), []);
  const candidates = (devices.data ?? []).filter((device) => protocols.includes(device.protocol));
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, control, formState, setError } = useForm<TagFormValues>({
    mode: 'onTouched',
    defaultValues: {
      deviceId: draft.deviceId ?? '',
      name: draft.name,
      address: draft.address,
      dataType: draft.dataType,
      accessType: draft.accessType ?? 'Read',
      scaling: draft.scaling ?? 1,
      unit: '',
      description: draft.description ?? '',
    },
  });
  const { errors } = formState;

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      const tag = await api.tags.create.mutate({
        deviceId: values.deviceId,
        name: values.name.trim(),
        address: values.address.trim(),
        dataType: values.dataType,
        accessType: values.accessType,
        scaling: values.scaling,
        ...(values.unit.trim() ? { unit: values.unit.trim() } : {}),
        ...(values.description.trim() ? { description: values.description.trim() } : {}),
      });
      onClose(tag.name);
    } catch (error) {
      setFailure(showServerFieldErrors(apiFailure(error), FIELDS, setError));
    }
  });

  return (
    <Dialog open onClose={() => onClose(null)} maxWidth="sm" fullWidth aria-labelledby="create-tag-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="create-tag-title">{t('commissioning.createTag.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && (
              <Alert severity="error" role="alert">
                {failure}
              </Alert>
            )}
            {devices.data && candidates.length === 0 && (
              <Alert severity="info">
                {t('commissioning.createTag.noDevice', {
                  protocols: protocols.map((p) => t(`protocols.${p}`)).join(' / '),
                })}
              </Alert>
            )}
            <Controller
              name="deviceId"
              control={control}
              rules={{ required: t('common.required') }}
              render={({ field }) => (
                <TextField
                  select
                  label={t('commissioning.createTag.device')}
                  required
                  {...field}
                  error={!!errors.deviceId}
                  helperText={errors.deviceId?.message}
                >
                  {candidates.map((device) => (
                    <MenuItem key={device.id} value={device.id}>
                      {device.name} — {device.endpoint}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            />
            <TextField
              label={t('commissioning.createTag.name')}
              required
              autoFocus
              error={!!errors.name}
              helperText={errors.name?.message}
              {...register('name', { required: t('common.required') })}
            />
            <TextField
              label={t('commissioning.createTag.address')}
              required
              error={!!errors.address}
              helperText={errors.address?.message}
              slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
              {...register('address', { required: t('common.required') })}
            />
            <Stack direction="row" spacing={2}>
              <FormSelect
                name="dataType"
                control={control}
                label={t('commissioning.createTag.dataType')}
                options={plainOptions(TAG_DATA_TYPES)}
                error={errors.dataType?.message}
              />
              <FormSelect
                name="accessType"
                control={control}
                label={t('commissioning.createTag.access')}
                options={TAG_ACCESS.map((kind) => ({ value: kind, label: t(`access.${kind}`) }))}
              />
            </Stack>
            <Stack direction="row" spacing={2}>
              <TextField
                label={t('commissioning.createTag.scaling')}
                type="number"
                fullWidth
                error={!!errors.scaling}
                helperText={errors.scaling?.message ?? t('commissioning.createTag.scalingHint')}
                slotProps={{ htmlInput: { step: 'any' } }}
                {...register('scaling', {
                  valueAsNumber: true,
                  validate: (value) =>
                    (Number.isFinite(value) && value > 0) || t('commissioning.createTag.scalingPositive'),
                })}
              />
              <TextField label={t('commissioning.createTag.unit')} fullWidth {...register('unit')} />
            </Stack>
            <TextField label={t('commissioning.createTag.description')} {...register('description')} />
          </Stack>
        </DialogContent>
        <FormDialogActions
          onCancel={() => onClose(null)}
          submitting={formState.isSubmitting}
          label={t('commissioning.createTag.create')}
        />
      </form>
    </Dialog>
  );
}
