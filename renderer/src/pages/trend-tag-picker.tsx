// Adds a pen: type part of a tag's name, address or description, pick it from the list. Asks
// the gateway as you type (10,000 tags are never all loaded for this).
import { Autocomplete, TextField } from '@mui/material';
import { useDeferredValue, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../api/api-client.ts';
import { api } from '../stores/session-store.ts';

type TagOption = ApiOutputs['tags']['list']['tags'][number];

export function TrendTagPicker({
  deviceNames,
  exclude,
  disabled,
  onPick,
}: {
  deviceNames: ReadonlyMap<string, string>;
  exclude: readonly string[];
  disabled: boolean;
  onPick(tag: TagOption): void;
}) {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const search = useDeferredValue(input.trim());
  const [options, setOptions] = useState<TagOption[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api.tags.list
      .query({ ...(search ? { search } : {}), limit: 50 })
      .then((page) => current && setOptions(page.tags))
      .catch(() => current && setOptions([]))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [search]);

  return (
    <Autocomplete<TagOption>
      options={options.filter((tag) => !exclude.includes(tag.id))}
      loading={loading}
      disabled={disabled}
      value={null}
      inputValue={input}
      onInputChange={(_event, value, reason) => reason !== 'reset' && setInput(value)}
      onChange={(_event, tag) => {
        if (tag) onPick(tag);
        setInput('');
      }}
      filterOptions={(all) => all}
      getOptionLabel={(tag) =>
        `${tag.name} — ${deviceNames.get(tag.deviceId) ?? ''}${tag.unit ? ` (${tag.unit})` : ''}`
      }
      isOptionEqualToValue={(a, b) => a.id === b.id}
      noOptionsText={t('common.noMatches')}
      loadingText={t('common.loading')}
      sx={{ width: 320 }}
      renderInput={(params) => (
        <TextField {...params} label={t('trends.addPen')} placeholder={t('trends.addPenHint')} />
      )}
    />
  );
}
