// Form fields bound to react-hook-form that several dialogs share: a switch and a select.
import { FormControlLabel, MenuItem, Switch, TextField } from '@mui/material';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';

export function FormSwitch<Values extends FieldValues>(props: {
  name: Path<Values>;
  control: Control<Values>;
  label: string;
}) {
  return (
    <Controller
      name={props.name}
      control={props.control}
      render={({ field }) => (
        <FormControlLabel
          control={<Switch checked={!!field.value} onChange={(event) => field.onChange(event.target.checked)} />}
          label={props.label}
        />
      )}
    />
  );
}

export interface SelectOption {
  value: string | number;
  label: string;
}

export function FormSelect<Values extends FieldValues>(props: {
  name: Path<Values>;
  control: Control<Values>;
  label: string;
  options: readonly SelectOption[];
  error?: string | undefined;
}) {
  return (
    <Controller
      name={props.name}
      control={props.control}
      render={({ field }) => (
        <TextField
          select
          label={props.label}
          {...field}
          value={field.value as string | number}
          fullWidth
          error={!!props.error}
          helperText={props.error}
        >
          {props.options.map((option) => (
            <MenuItem key={option.value} value={option.value}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
      )}
    />
  );
}

/** Options whose label is the value itself (baud rates, word orders, log levels). */
export const plainOptions = (values: readonly (string | number)[]): SelectOption[] =>
  values.map((value) => ({ value, label: String(value) }));
