// The password rules, shared by the main process (which enforces them) and the UI (which shows
// them while the user types). Length over composition, as NIST SP 800-63B advises: a long
// passphrase is stronger than a short password with a digit and a symbol bolted on.

export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work of hashing an attacker-chosen string. */
export const PASSWORD_MAX_LENGTH = 256;

// A few of the most common passwords that would pass the length rule; the rest of the usual
// lists are shorter than 10 characters.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '9876543210',
  '1111111111',
  '0000000000',
  'qwertyuiop',
  'password123',
  'password1234',
  'administrator',
  'letmein1234',
  'iloveyou123',
  'qwerty12345',
  'qwerty123456',
  'abcdefghij',
  'abc1234567',
]);

/** Returns the problems with a password in words, or an empty list when it is acceptable. */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  if (length >= PASSWORD_MIN_LENGTH && new Set(password).size < 4) {
    problems.push('must use at least 4 different characters');
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) problems.push('is one of the most common passwords');
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    problems.push('must not contain the username');
  }
  return problems;
}
