// @vitest-environment jsdom
// The new-password fields as a user fills them: the policy hint until a problem is typed, the
// policy's own words for it, the mismatch of the repeat field, and the single field an
// administrator fills with the screen's own label and hint.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useForm } from 'react-hook-form';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startI18n } from '../i18n/i18n.ts';
import { NewPasswordFields } from './new-password-fields.tsx';

beforeAll(() => startI18n('en'));
afterEach(cleanup);

function ChooseForm(props: { onSubmit: (values: { password: string; repeat: string }) => void }) {
  const form = useForm({ mode: 'onTouched', defaultValues: { password: '', repeat: '' } });
  return (
    <form onSubmit={(event) => void form.handleSubmit(props.onSubmit)(event)} noValidate>
      <NewPasswordFields form={form} name="password" repeatName="repeat" username={() => 'chief'} />
      <button type="submit">Save</button>
    </form>
  );
}

async function type(label: string, value: string): Promise<void> {
  // MUI appends ' *' to a required field's label
  const field = screen.getByLabelText(new RegExp(`^${label}`));
  await act(async () => {
    fireEvent.change(field, { target: { value } });
    fireEvent.blur(field);
  });
}

describe('NewPasswordFields', () => {
  it('shows the policy, then its problem, then the mismatch, and submits a good pair', async () => {
    const onSubmit = vi.fn();
    render(<ChooseForm onSubmit={onSubmit} />);
    expect(screen.getByText('At least 10 characters; a passphrase of a few words is best.')).toBeTruthy();
    await type('New password', 'short');
    expect(screen.getByText('must be at least 10 characters long.')).toBeTruthy();
    await type('New password', 'plant floor passphrase');
    await type('Repeat the new password', 'plant floor passphrasE');
    expect(screen.getByText('The two passwords differ')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(onSubmit).not.toHaveBeenCalled();
    await type('Repeat the new password', 'plant floor passphrase');
    expect(screen.queryByText('The two passwords differ')).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(onSubmit).toHaveBeenCalledWith(
      { password: 'plant floor passphrase', repeat: 'plant floor passphrase' },
      expect.anything(),
    );
  });

  it('refuses a password that contains the user name', async () => {
    render(<ChooseForm onSubmit={() => undefined} />);
    await type('New password', 'chief of the plant floor');
    expect(screen.getByText(/must not contain the username/)).toBeTruthy();
  });

  it('is one field with the screen’s label and hint where an administrator sets a temporary password', () => {
    function Temporary() {
      const form = useForm({ defaultValues: { newPassword: '' } });
      return (
        <NewPasswordFields
          form={form}
          name="newPassword"
          username={() => 'operator'}
          label="Temporary password"
          hint="The user must change it"
          required={false}
        />
      );
    }
    render(<Temporary />);
    expect(screen.getAllByLabelText(/password/i)).toHaveLength(1);
    expect(screen.getByLabelText('Temporary password')).toBeTruthy();
    expect(screen.getByText('The user must change it')).toBeTruthy();
  });
});
