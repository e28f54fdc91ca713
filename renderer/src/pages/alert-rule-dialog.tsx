// Create or change an alert rule: what it watches (device, tag), the condition, the threshold(s)
// its operator needs, its level and timing. Fields are checked as they are typed; the gateway's
// own checks (thresholds against the operator, the tag's device) land on the fields on save. The
// condition is compiled by the gateway as it is typed (use-expression-check.ts).
import { Alert, Dialog, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ALERT_LEVELS, COMPARE_OPS, type AlertLevel, type CompareOp } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';
import { FormSelect, FormSwitch } from '../components/form-fields.tsx';
import { showServerFieldErrors } from '../components/server-field-errors.ts';
import { api } from '../stores/session-store.ts';
import { useExpressionCheck, type ExpressionCheckState } from './use-expression-check.ts';
import { FormDialogActions } from '../components/form-dialog-actions.tsx';

type Rule = ApiOutputs['alerts']['rules']['list'][number];
type Device = ApiOutputs['devices']['list'][number];
type Tag = ApiOutputs['tags']['list']['tags'][number];

interface RuleValues {
  name: string;
  description: string;
  deviceId: string;
  tagId: string;
  conditionExpression: string;
  op: CompareOp;
  thresholdValue: string;
  thresholdLow: string;
  thresholdHigh: string;
  level: AlertLevel;
  evalInterval: string;
  evalDuration: string;
  cooldownDuration: string;
  enabled: boolean;
}

const RANGE_OPS = new Set<CompareOp>(['BETWEEN', 'NOT_BETWEEN']);
const FIELDS = [
  'name',
  'description',
  'deviceId',
  'tagId',
  'conditionExpression',
  'op',
  'thresholdValue',
  'thresholdLow',
  'thresholdHigh',
  'level',
  'evalInterval',
  'evalDuration',
  'cooldownDuration',
];

/** The live check's answer in words, shown under the condition. */
function expressionCheckText(check: ExpressionCheckState, t: TFunction): string {
  switch (check.state) {
    case 'idle':
      return '';
    case 'checking':
      return t('rules.checking');
    case 'unavailable':
      return t('rules.checkUnavailable', { message: check.message });
    case 'checked':
      if (!check.result.ok) return t('rules.checkProblem', check.result);
      return check.result.type === 'number' ? t('rules.checkNumber') : t('rules.checkCondition');
  }
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

interface AlertRuleDialogProps {
  rule: Rule | null;
  devices: readonly Device[];
  tags: readonly Tag[];
  onClose(saved: boolean): void;
}

export function AlertRuleDialog({ rule, devices, tags, onClose }: AlertRuleDialogProps) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, control, handleSubmit, watch, formState, setError } = useForm<RuleValues>({
    mode: 'onChange',
    defaultValues: {
      name: rule?.name ?? '',
      description: rule?.description ?? '',
      deviceId: rule?.deviceId ?? '',
      tagId: rule?.tagId ?? '',
      conditionExpression: rule?.conditionExpression ?? 'value',
      op: rule?.op ?? 'GT',
      thresholdValue: text(rule?.thresholdValue),
      thresholdLow: text(rule?.thresholdLow),
      thresholdHigh: text(rule?.thresholdHigh),
      level: rule?.level ?? 'WARNING',
      evalInterval: text(rule?.evalInterval ?? 1000),
      evalDuration: text(rule?.evalDuration),
      cooldownDuration: text(rule?.cooldownDuration),
      enabled: rule?.enabled ?? true,
    },
  });
  const { errors } = formState;
  const op = watch('op');
  const deviceId = watch('deviceId');
  const tagId = watch('tagId');
  const conditionExpression = watch('conditionExpression');
  const check = useExpressionCheck({ conditionExpression, deviceId: deviceId || null, tagId: tagId || null }, (input) =>
    api.alerts.rules.check.query(input),
  );
  const checkText = expressionCheckText(check, t);
  const range = RANGE_OPS.has(op);
  const numeric = (optional: boolean) => ({
    validate: (value: string) =>
      (optional && value.trim() === '') || Number.isFinite(Number(value)) || t('common.mustBeNumber'),
  });

  const submit = handleSubmit(async (values) => {
    setFailure(null);
    const input = {
      name: values.name,
      description: values.description,
      deviceId: values.deviceId || null,
      tagId: values.tagId || null,
      conditionExpression: values.conditionExpression,
      op: values.op,
      thresholdValue: range ? null : numberOrNull(values.thresholdValue),
      thresholdLow: range ? numberOrNull(values.thresholdLow) : null,
      thresholdHigh: range ? numberOrNull(values.thresholdHigh) : null,
      level: values.level,
      evalInterval: Number(values.evalInterval),
      evalDuration: numberOrNull(values.evalDuration),
      cooldownDuration: numberOrNull(values.cooldownDuration),
      enabled: values.enabled,
    };
    try {
      if (rule) await api.alerts.rules.update.mutate({ id: rule.id, ...input });
      else await api.alerts.rules.create.mutate(input);
      onClose(true);
    } catch (error) {
      setFailure(showServerFieldErrors(apiFailure(error), FIELDS, setError));
    }
  });

  const select = (name: Path<RuleValues>, label: string, options: ReadonlyArray<{ value: string; label: string }>) => (
    <FormSelect
      name={name}
      control={control}
      label={label}
      options={options}
      error={errors[name as keyof RuleValues]?.message}
    />
  );

  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="sm" fullWidth aria-labelledby="rule-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="rule-title">{rule ? t('rules.edit', { name: rule.name }) : t('rules.add')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {failure && <Alert severity="error">{failure}</Alert>}
            <TextField
              label={t('rules.name')}
              required
              autoFocus
              error={!!errors.name}
              helperText={errors.name?.message}
              {...register('name', { required: t('common.required') })}
            />
            <Stack direction="row" spacing={2}>
              {select('deviceId', t('rules.device'), [
                { value: '', label: t('rules.anyDevice') },
                ...devices.map((device) => ({ value: device.id, label: device.name })),
              ])}
              {select('tagId', t('rules.tag'), [
                { value: '', label: t('rules.noTag') },
                ...tags
                  .filter((tag) => !deviceId || tag.deviceId === deviceId)
                  .map((tag) => ({ value: tag.id, label: tag.name })),
              ])}
            </Stack>
            <TextField
              label={t('rules.condition')}
              required
              error={!!errors.conditionExpression || (check.state === 'checked' && !check.result.ok)}
              helperText={
                <>
                  <span data-testid="expression-check">{errors.conditionExpression?.message ?? checkText}</span>
                  <br />
                  {t('rules.conditionHint')}
                </>
              }
              slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
              {...register('conditionExpression', {
                validate: (value) => value.trim().length > 0 || t('common.required'),
              })}
            />
            <Stack direction="row" spacing={2}>
              {select(
                'op',
                t('rules.operator'),
                COMPARE_OPS.map((value) => ({ value, label: t(`operators.${value}`) })),
              )}
              {!range && (
                <TextField
                  label={t('rules.threshold')}
                  required
                  fullWidth
                  error={!!errors.thresholdValue}
                  helperText={errors.thresholdValue?.message}
                  {...register('thresholdValue', {
                    validate: (value) =>
                      (value.trim() !== '' && Number.isFinite(Number(value))) || t('common.mustBeNumber'),
                  })}
                />
              )}
              {range && (
                <>
                  <TextField
                    label={t('rules.low')}
                    required
                    fullWidth
                    error={!!errors.thresholdLow}
                    helperText={errors.thresholdLow?.message}
                    {...register('thresholdLow', {
                      validate: (value, all) =>
                        !Number.isFinite(Number(value))
                          ? t('common.mustBeNumber')
                          : Number(value) <= Number(all.thresholdHigh) ||
                            !Number.isFinite(Number(all.thresholdHigh)) ||
                            t('rules.lowAboveHigh'),
                      deps: ['thresholdHigh'],
                    })}
                  />
                  <TextField
                    label={t('rules.high')}
                    required
                    fullWidth
                    error={!!errors.thresholdHigh}
                    helperText={errors.thresholdHigh?.message}
                    {...register('thresholdHigh', { ...numeric(false), deps: ['thresholdLow'] })}
                  />
                </>
              )}
              {select(
                'level',
                t('rules.level'),
                ALERT_LEVELS.map((value) => ({ value, label: t(`levels.${value}`) })),
              )}
            </Stack>
            <Stack direction="row" spacing={2}>
              <TextField
                label={t('rules.evalInterval')}
                fullWidth
                error={!!errors.evalInterval}
                helperText={errors.evalInterval?.message}
                {...register('evalInterval', {
                  validate: (value) =>
                    (Number.isInteger(Number(value)) && Number(value) >= 100) || t('common.wholeAtLeast', { min: 100 }),
                })}
              />
              <TextField
                label={t('rules.evalDuration')}
                fullWidth
                error={!!errors.evalDuration}
                helperText={errors.evalDuration?.message}
                {...register('evalDuration', numeric(true))}
              />
              <TextField
                label={t('rules.cooldown')}
                fullWidth
                error={!!errors.cooldownDuration}
                helperText={errors.cooldownDuration?.message}
                {...register('cooldownDuration', numeric(true))}
              />
            </Stack>
            <TextField label={t('devices.description')} multiline minRows={2} {...register('description')} />
            <FormSwitch name="enabled" control={control} label={t('devices.enabled')} />
          </Stack>
        </DialogContent>
        <FormDialogActions onCancel={() => onClose(false)} submitting={formState.isSubmitting} />
      </form>
    </Dialog>
  );
}
