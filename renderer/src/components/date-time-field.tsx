// A date-and-time input in the browser's local time; empty means "no bound".
import { TextField } from '@mui/material';

/** "2025-01-02T13:04" in local time, as <input type="datetime-local"> wants it. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function DateTimeField(props: {
  label: string;
  value: Date | undefined;
  onChange(value: Date | undefined): void;
}) {
  return (
    <TextField
      label={props.label}
      type="datetime-local"
      value={props.value ? toLocalInput(props.value) : ''}
      onChange={(event) => props.onChange(event.target.value ? new Date(event.target.value) : undefined)}
      slotProps={{ inputLabel: { shrink: true } }}
      sx={{ width: 220 }}
    />
  );
}
