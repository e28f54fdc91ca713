// The rules editor's live check of a condition expression: once the user stops typing for a
// moment, the gateway compiles it with the alert engine's compiler against the tags that exist
// (alerts.rules.check) and says what it is, or where and why it is wrong. An answer to older
// text never replaces the answer to newer text.
import { useEffect, useRef, useState } from 'react';
import type { ApiInputs, ApiOutputs } from '../api/api-client.ts';
import { apiFailure } from '../api/api-error-text.ts';

export type CheckInput = ApiInputs['alerts']['rules']['check'];
export type CheckResult = ApiOutputs['alerts']['rules']['check'];

export type ExpressionCheckState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'checked'; result: CheckResult }
  | { state: 'unavailable'; message: string };

export const CHECK_DELAY_MS = 300;

export function useExpressionCheck(
  input: CheckInput,
  check: (input: CheckInput) => Promise<CheckResult>,
  delayMs = CHECK_DELAY_MS,
): ExpressionCheckState {
  const [state, setState] = useState<ExpressionCheckState>({ state: 'idle' });
  const latest = useRef(0);
  const checker = useRef(check);
  checker.current = check;
  const { conditionExpression, tagId, deviceId } = input;

  useEffect(() => {
    const call = ++latest.current;
    setState({ state: 'checking' });
    const timer = setTimeout(() => {
      checker
        .current({ conditionExpression, tagId, deviceId })
        .then((result) => call === latest.current && setState({ state: 'checked', result }))
        .catch(
          (error: unknown) =>
            call === latest.current && setState({ state: 'unavailable', message: apiFailure(error).message }),
        );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [conditionExpression, tagId, deviceId, delayMs]);

  return state;
}
