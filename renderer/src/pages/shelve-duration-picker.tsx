// How long to shelve: presets from one minute to seven days, or a custom amount in minutes,
// hours or days, checked against the gateway's limits as it is typed.
import { MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  customShelveDuration,
  SHELVE_PRESETS,
  SHELVE_UNITS,
  type CustomDuration,
  type ShelveUnit,
} from './shelve-duration.ts';

const CUSTOM = 'custom';
/** the preset chosen at first: 15 minutes */
const FIRST_PRESET = 1;

/** `onChange` gets the duration in milliseconds, or null while the custom amount is unusable. */
export function ShelveDurationPicker({ onChange }: { onChange(ms: number | null): void }) {
  const { t } = useTranslation();
  const [preset, setPreset] = useState(String(FIRST_PRESET));
  const [amount, setAmount] = useState('2');
  const [unit, setUnit] = useState<ShelveUnit>('hours');
  const custom: CustomDuration | null = preset === CUSTOM ? customShelveDuration(amount, unit) : null;

  const choose = (nextPreset: string, nextAmount = amount, nextUnit = unit) => {
    setPreset(nextPreset);
    setAmount(nextAmount);
    setUnit(nextUnit);
    if (nextPreset !== CUSTOM) {
      const chosen = SHELVE_PRESETS[Number(nextPreset)]!;
      onChange(chosen.amount * SHELVE_UNITS[chosen.unit]);
    } else {
      const duration = customShelveDuration(nextAmount, nextUnit);
      onChange(duration.ok ? duration.ms : null);
    }
  };

  return (
    <Stack direction="row" spacing={2}>
      <TextField
        select
        label={t('alerts.shelveFor')}
        value={preset}
        onChange={(event) => choose(event.target.value)}
        sx={{ minWidth: 180 }}
      >
        {SHELVE_PRESETS.map((option, index) => (
          <MenuItem key={index} value={String(index)}>
            {t(`alerts.duration.${option.unit}`, { count: option.amount })}
          </MenuItem>
        ))}
        <MenuItem value={CUSTOM}>{t('alerts.customDuration')}</MenuItem>
      </TextField>
      {preset === CUSTOM && (
        <>
          <TextField
            label={t('alerts.amount')}
            value={amount}
            onChange={(event) => choose(CUSTOM, event.target.value)}
            error={custom?.ok === false}
            helperText={custom?.ok === false ? t(`alerts.shelveProblem.${custom.problem}`) : ' '}
            slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            sx={{ width: 140 }}
          />
          <TextField
            select
            label={t('alerts.unit')}
            value={unit}
            onChange={(event) => choose(CUSTOM, amount, event.target.value as ShelveUnit)}
            sx={{ width: 140 }}
          >
            {(Object.keys(SHELVE_UNITS) as ShelveUnit[]).map((value) => (
              <MenuItem key={value} value={value}>
                {t(`alerts.units.${value}`)}
              </MenuItem>
            ))}
          </TextField>
        </>
      )}
    </Stack>
  );
}

const first = SHELVE_PRESETS[FIRST_PRESET]!;
/** The duration the picker starts with. */
export const INITIAL_SHELVE_MS = first.amount * SHELVE_UNITS[first.unit];
