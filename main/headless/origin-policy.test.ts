import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './origin-policy.ts';

describe('isAllowedOrigin', () => {
  const own = { host: '127.0.0.1:8480', secure: false };

  it('admits the gateway’s own page and non-browser clients', () => {
    expect(isAllowedOrigin({ ...own, origin: 'http://127.0.0.1:8480' })).toBe(true);
    expect(isAllowedOrigin({ origin: 'http://localhost:8480', host: 'localhost:8480', secure: false })).toBe(true);
    expect(isAllowedOrigin({ origin: 'http://[::1]:8480', host: '[::1]:8480', secure: false })).toBe(true);
    expect(isAllowedOrigin({ origin: 'https://10.0.0.5:8480', host: '10.0.0.5:8480', secure: true })).toBe(true);
    expect(isAllowedOrigin({ ...own, origin: undefined })).toBe(true);
  });

  it('refuses foreign pages, other ports and schemes, and null origins', () => {
    expect(isAllowedOrigin({ ...own, origin: 'http://evil.example' })).toBe(false);
    expect(isAllowedOrigin({ ...own, origin: 'http://127.0.0.1:9999' })).toBe(false);
    expect(isAllowedOrigin({ ...own, origin: 'https://127.0.0.1:8480' })).toBe(false);
    expect(isAllowedOrigin({ ...own, origin: 'null' })).toBe(false);
    expect(isAllowedOrigin({ ...own, origin: 'file://' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'http://127.0.0.1:8480', host: undefined, secure: false })).toBe(false);
  });

  it('refuses a DNS name pointed at the gateway (rebinding) unless it is listed', () => {
    const rebound = { origin: 'http://attacker.example:8480', host: 'attacker.example:8480', secure: false };
    expect(isAllowedOrigin(rebound)).toBe(false);
    const named = { origin: 'https://gw.plant.local:8480', host: 'gw.plant.local:8480', secure: true };
    expect(isAllowedOrigin(named)).toBe(false);
    expect(isAllowedOrigin(named, ['https://gw.plant.local:8480'])).toBe(true);
    expect(isAllowedOrigin(named, ['https://GW.plant.local:8480/'])).toBe(true);
  });
});
