// A request the gateway refuses for a reason the user can act on: bad input that only the
// service can judge (a password that breaks the policy, the last administrator), a conflict,
// missing rights, too many attempts. Services throw it; the API turns `kind` into its error
// code and shows `message` as is, so the message must be a sentence for the user.
export type RefusalKind = 'invalid' | 'conflict' | 'forbidden' | 'unauthenticated' | 'not-found' | 'rate-limited';

export class OperationRefusedError extends Error {
  override readonly name = 'OperationRefusedError';
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly details: {
      /** the input field the problem is about */
      field?: string;
      /** a stable machine-readable reason the UI may act on, e.g. PASSWORD_CHANGE_REQUIRED */
      reason?: string;
    } = {},
  ) {
    super(message);
  }
}
