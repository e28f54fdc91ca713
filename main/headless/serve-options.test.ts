import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServeArgs } from './serve-options.ts';

describe('parseServeArgs', () => {
  it('defaults to loopback, the default port and the environment', () => {
    expect(parseServeArgs([], { DATABASE_URL: 'postgres://h/db', GATEWAY_DATA_DIR: '/data' })).toEqual({
      dataDir: '/data',
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      databaseUrl: 'postgres://h/db',
    });
  });

  it('takes options over the environment', () => {
    expect(
      parseServeArgs(['--data-dir', '/x', '--port', '0', '--database-url', 'postgres://a/b'], {
        DATABASE_URL: 'postgres://h/db',
      }),
    ).toMatchObject({ dataDir: '/x', port: 0, databaseUrl: 'postgres://a/b' });
  });

  it('refuses a bad port and unknown options in words', () => {
    expect(() => parseServeArgs(['--port', '70000'], {})).toThrow(
      '--port must be a whole number from 0 to 65535, not "70000"',
    );
    expect(() => parseServeArgs(['--bogus'], {})).toThrow(/Unknown option '--bogus'/);
  });

  it('asks for help', () => {
    expect(parseServeArgs(['-h'], {})).toBe('help');
  });
});
