// A new password as every screen that sets one asks for it: the field checked against the
// password policy while typing (the policy, or the screen's own hint, under it), and — where the
// user chooses their own password — a second field that must repeat it.
import { TextField } from '@mui/material';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { passwordRule } from '../shell/password-field-rules.ts';

export function NewPasswordFields<Values extends FieldValues>(props: {
  form: Pick<UseFormReturn<Values>, 'register' | 'getValues' | 'getFieldState' | 'formState'>;
  name: Path<Values>;
  /** the repeat field; left out where an administrator sets a temporary password */
  repeatName?: Path<Values>;
  /** the account's user name, which the password must not contain */
  username: () => string | undefined;
  label?: string;
  hint?: string;
  required?: boolean;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const { form, name, repeatName } = props;
  const rule = passwordRule(props.username);
  const error = form.getFieldState(name, form.formState).error;
  const repeatError = repeatName && form.getFieldState(repeatName, form.formState).error;
  return (
    <>
      <TextField
        label={props.label ?? t('auth.newPassword')}
        type="password"
        autoComplete="new-password"
        required={props.required ?? true}
        autoFocus={props.autoFocus}
        error={!!error}
        helperText={error?.message ?? props.hint ?? t('auth.passwordHint')}
        {...form.register(name, { validate: (value: unknown) => rule(String(value ?? '')) })}
      />
      {repeatName && (
        <TextField
          label={t('auth.repeatPassword')}
          type="password"
          autoComplete="new-password"
          required
          error={!!repeatError}
          helperText={repeatError?.message}
          {...form.register(repeatName, {
            validate: (value: unknown) => value === form.getValues(name) || t('auth.passwordsDiffer'),
          })}
        />
      )}
    </>
  );
}
