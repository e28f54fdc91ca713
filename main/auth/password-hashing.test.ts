import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password-hashing.ts';

const cheap = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the password it hashed, with a new salt each time', async () => {
    const first = await hashPassword('correct horse battery', cheap);
    const second = await hashPassword('correct horse battery', cheap);
    expect(first).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    // Unicode is normalised: the same password typed as composed or decomposed characters.
    const composed = await hashPassword('Müller-Passwort', cheap);
    expect(await verifyPassword('Mu\u0308ller-Passwort', composed)).toBe(true);
  });

  it('never matches a malformed or absurd stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$ln=99,r=8,p=1$AAAA$AAAA', 'bcrypt$2b$10$abc']) {
      expect(await verifyPassword('x', stored)).toBe(false);
    }
  });

  it('asks for a new hash only when the stored one is weaker', async () => {
    const stored = await hashPassword('p', cheap);
    expect(needsRehash(stored, cheap)).toBe(false);
    expect(needsRehash(stored, { ...cheap, logN: 17 })).toBe(true);
    expect(needsRehash(stored, { ...cheap, logN: 9 })).toBe(false);
    expect(needsRehash('garbage', cheap)).toBe(true);
  });
});
