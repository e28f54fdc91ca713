// @vitest-environment jsdom
// The rules editor's live check: one call once typing pauses, and an answer to older text never
// replaces the answer to newer text.
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_DELAY_MS, useExpressionCheck, type CheckInput, type CheckResult } from './use-expression-check.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** A check whose answers the test hands out, in any order. */
function manualCheck() {
  const calls: Array<{ input: CheckInput; answer(result: CheckResult): void; fail(error: Error): void }> = [];
  const check = (input: CheckInput) =>
    new Promise<CheckResult>((resolve, reject) => calls.push({ input, answer: resolve, fail: reject }));
  return { calls, check };
}

const input = (conditionExpression: string): CheckInput => ({ conditionExpression, tagId: null, deviceId: null });

describe('useExpressionCheck', () => {
  it('checks once the user pauses, not on every key', async () => {
    const { calls, check } = manualCheck();
    const { result, rerender } = renderHook(({ text }) => useExpressionCheck(input(text), check), {
      initialProps: { text: 'v' },
    });
    for (const text of ['va', 'val', 'valu', 'value']) {
      rerender({ text });
      await act(() => vi.advanceTimersByTimeAsync(CHECK_DELAY_MS / 3));
    }
    expect(result.current).toEqual({ state: 'checking' });
    expect(calls).toHaveLength(0);
    await act(() => vi.advanceTimersByTimeAsync(CHECK_DELAY_MS));
    expect(calls.map((call) => call.input.conditionExpression)).toEqual(['value']);
    await act(async () => calls[0]!.answer({ ok: true, type: 'number' }));
    expect(result.current).toEqual({ state: 'checked', result: { ok: true, type: 'number' } });
  });

  it('ignores a late answer to older text, and says when the gateway could not check', async () => {
    const { calls, check } = manualCheck();
    const { result, rerender } = renderHook(({ text }) => useExpressionCheck(input(text), check), {
      initialProps: { text: 'value >' },
    });
    await act(() => vi.advanceTimersByTimeAsync(CHECK_DELAY_MS));
    rerender({ text: 'value > 1' });
    await act(() => vi.advanceTimersByTimeAsync(CHECK_DELAY_MS));
    expect(calls).toHaveLength(2);
    await act(async () => calls[1]!.answer({ ok: true, type: 'boolean' }));
    await act(async () => calls[0]!.answer({ ok: false, position: 8, problem: 'an expression is missing here' }));
    expect(result.current).toEqual({ state: 'checked', result: { ok: true, type: 'boolean' } });

    rerender({ text: 'value > 2' });
    await act(() => vi.advanceTimersByTimeAsync(CHECK_DELAY_MS));
    await act(async () => calls[2]!.fail(new Error('The connection to the gateway was lost.')));
    expect(result.current).toEqual({ state: 'unavailable', message: 'The connection to the gateway was lost.' });
  });
});
