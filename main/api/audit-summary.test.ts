import { describe, expect, it } from 'vitest';
import { summariseForAudit } from './audit-summary.ts';

describe('summariseForAudit', () => {
  it('hides secrets and summarises bulk', () => {
    expect(
      summariseForAudit({
        username: 'li',
        password: 'hunter22',
        newPassword: 'x',
        setupCode: 'abc',
        content: 'a,b\n'.repeat(100),
        ids: Array.from({ length: 25 }, (_, i) => i),
        when: new Date('2026-01-02T03:04:05Z'),
      }),
    ).toEqual({
      username: 'li',
      password: '***',
      newPassword: '***',
      setupCode: '***',
      content: '[400 characters]',
      ids: [...Array.from({ length: 20 }, (_, i) => i), '[5 more]'],
      when: '2026-01-02T03:04:05.000Z',
    });
  });

  it('cleans what jsonb cannot store and bounds depth', () => {
    expect(summariseForAudit({ 'k\u0000': 'a\u0000b\ud800' })).toEqual({ 'k\uFFFD': 'a\uFFFDb\uFFFD' });
    expect(summariseForAudit({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '[…]' } } } });
    expect(summariseForAudit(Number.NaN)).toBe('NaN');
    expect(summariseForAudit(undefined)).toBeNull();
    expect(summariseForAudit(10n)).toBe('[bigint]');
  });
});
