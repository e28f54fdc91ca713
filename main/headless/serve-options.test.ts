import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, isLoopbackHost, parseCommandLine } from './serve-options.ts';

describe('parseCommandLine', () => {
  it('defaults to loopback, the default port, the environment and the demo on a fresh folder', () => {
    expect(parseCommandLine([], { DATABASE_URL: 'postgres://h/db', GATEWAY_DATA_DIR: '/data' })).toEqual({
      kind: 'serve',
      options: {
        dataDir: '/data',
        databaseUrl: 'postgres://h/db',
        host: '127.0.0.1',
        port: DEFAULT_PORT,
        tlsCertFile: undefined,
        tlsKeyFile: undefined,
        allowedOrigins: [],
        demo: 'fresh-folder',
      },
    });
  });

  it('takes options over the environment', () => {
    expect(
      parseCommandLine(['--data-dir', '/x', '--port', '0', '--database-url', 'postgres://a/b', '--no-demo'], {
        DATABASE_URL: 'postgres://h/db',
      }),
    ).toMatchObject({ kind: 'serve', options: { dataDir: '/x', port: 0, databaseUrl: 'postgres://a/b', demo: false } });
    expect(parseCommandLine(['--demo'], {})).toMatchObject({ options: { demo: true } });
  });

  it('needs TLS or --insecure to listen beyond the loopback', () => {
    expect(() => parseCommandLine(['--host', '0.0.0.0'], {})).toThrow(
      /Listening on 0\.0\.0\.0 lets other computers reach the gateway: give --tls-cert and --tls-key/,
    );
    expect(parseCommandLine(['--host', '0.0.0.0', '--insecure'], {})).toMatchObject({ options: { host: '0.0.0.0' } });
    expect(
      parseCommandLine(
        ['--host', '::', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--allowed-origin', 'https://gw.local:8480'],
        {},
      ),
    ).toMatchObject({
      options: { tlsCertFile: 'c.pem', tlsKeyFile: 'k.pem', allowedOrigins: ['https://gw.local:8480'] },
    });
    expect(() => parseCommandLine(['--tls-cert', 'c.pem'], {})).toThrow(/go together/);
    expect(parseCommandLine(['--host', 'localhost'], {})).toMatchObject({ options: { host: 'localhost' } });
    expect(parseCommandLine(['--host', '127.0.0.2'], {})).toMatchObject({ options: { host: '127.0.0.2' } });
  });

  it('refuses a bad port, origin, contradictions and unknown options in words', () => {
    expect(() => parseCommandLine(['--port', '70000'], {})).toThrow(
      '--port must be a whole number from 0 to 65535, not "70000"',
    );
    expect(() => parseCommandLine(['--allowed-origin', 'gw.local'], {})).toThrow(/must be a web origin/);
    expect(() => parseCommandLine(['--demo', '--no-demo'], {})).toThrow(/contradict/);
    expect(() => parseCommandLine(['--bogus'], {})).toThrow(/Unknown option '--bogus'/);
  });

  it('parses the user command', () => {
    expect(parseCommandLine(['user', 'create-admin', 'alice', '--data-dir', '/d'], {})).toEqual({
      kind: 'user',
      action: 'create-admin',
      username: 'alice',
      dataDir: '/d',
      databaseUrl: undefined,
    });
    expect(parseCommandLine(['user', 'reset-password', 'bob'], { GATEWAY_DATA_DIR: '/g' })).toMatchObject({
      action: 'reset-password',
      dataDir: '/g',
    });
    expect(() => parseCommandLine(['user', 'delete', 'bob'], {})).toThrow(/create-admin or reset-password/);
    expect(() => parseCommandLine(['user', 'create-admin'], {})).toThrow(/exactly one username/);
    expect(() => parseCommandLine(['user', 'create-admin', 'a', '--port', '1'], {})).toThrow(/--port has no meaning/);
    expect(() => parseCommandLine(['frobnicate'], {})).toThrow(/Unknown command 'frobnicate'/);
  });

  it('asks for help', () => {
    expect(parseCommandLine(['-h'], {})).toEqual({ kind: 'help' });
  });

  it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'gateway.local', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});
