// @vitest-environment jsdom
// The shelve duration picker as a user drives it: a preset, then a custom amount and unit, with
// the limit named under the field and no duration given while it is unusable.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startI18n } from '../i18n/i18n.ts';
import { INITIAL_SHELVE_MS, ShelveDurationPicker } from './shelve-duration-picker.tsx';

beforeAll(() => startI18n('en'));
afterEach(cleanup);

function choose(field: string, option: string): void {
  fireEvent.mouseDown(screen.getByRole('combobox', { name: field }));
  fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: option }));
}

describe('ShelveDurationPicker', () => {
  it('starts at 15 minutes and offers presets from one minute to seven days', () => {
    render(<ShelveDurationPicker onChange={() => undefined} />);
    expect(INITIAL_SHELVE_MS).toBe(15 * 60_000);
    expect(screen.getByRole('combobox', { name: 'Shelve for' }).textContent).toBe('15 minutes');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Shelve for' }));
    const options = within(screen.getByRole('listbox'))
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(options).toEqual(['1 minute', '15 minutes', '1 hour', '4 hours', '8 hours', '1 day', '7 days', 'Custom…']);
  });

  it('gives a preset as milliseconds, and a custom amount only while it is within the limits', () => {
    const onChange = vi.fn();
    render(<ShelveDurationPicker onChange={onChange} />);
    choose('Shelve for', '4 hours');
    expect(onChange).toHaveBeenLastCalledWith(4 * 3_600_000);
    choose('Shelve for', 'Custom…');
    expect(onChange).toHaveBeenLastCalledWith(2 * 3_600_000);
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount' }), { target: { value: '10' } });
    choose('Unit', 'days');
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(screen.getByText('At most 7 days')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount' }), { target: { value: 'soon' } });
    expect(screen.getByText('Must be a number')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount' }), { target: { value: '30' } });
    choose('Unit', 'minutes');
    expect(onChange).toHaveBeenLastCalledWith(30 * 60_000);
    expect(screen.queryByText('At most 7 days')).toBeNull();
  });
});
