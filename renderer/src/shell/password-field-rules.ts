// The password rules of common/password-policy.ts as a react-hook-form check, so that the user
// reads each problem while typing, in the same words the gateway would use.
import { passwordProblems } from '../../../common/password-policy.ts';

export function passwordRule(username: () => string | undefined) {
  return (value: string): true | string => {
    const problems = passwordProblems(value, username());
    return problems.length === 0 ? true : `${problems.join('; ')}.`;
  };
}
