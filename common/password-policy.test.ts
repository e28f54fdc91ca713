import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.ts';

describe('passwordProblems', () => {
  it('accepts a long passphrase in any script', () => {
    expect(passwordProblems('correct horse battery staple', 'alice')).toEqual([]);
    expect(passwordProblems('工业网关的密码很长很长', '张三')).toEqual([]);
  });

  it('names each problem', () => {
    expect(passwordProblems('short')).toEqual(['must be at least 10 characters long']);
    expect(passwordProblems('aaaaaaaaaaaa')).toEqual(['must use at least 4 different characters']);
    expect(passwordProblems('Password123')).toEqual(['is one of the most common passwords']);
    expect(passwordProblems('operator-li-2026', 'Operator-Li')).toEqual(['must not contain the username']);
    expect(passwordProblems('x'.repeat(257))).toContain('must be at most 256 characters long');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('🏭🏭🏭🏭🏭🔑🔑🔑🔑', undefined)).toEqual(['must be at least 10 characters long']);
  });
});
