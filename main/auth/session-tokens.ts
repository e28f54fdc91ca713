// Session tokens: 256 random bits handed to the client once; the database keeps only their
// SHA-256, so a leaked database (or backup) holds no usable session. SHA-256 without a salt is
// right here: the token is random, not a human-chosen secret.
import { createHash, randomBytes } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
